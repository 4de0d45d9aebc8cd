package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.council.crypto.NodeKeyPair;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A served job's tokens are batched into frames and held while the session's queue is full. */
class TokenStreamTest {

    private static final byte[] JOB = new byte[16];
    private static Vertx vertx;
    private final ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    private final RecordingLink link = new RecordingLink(NodeKeyPair.generate().id());

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @Test
    void aTokenOnTheContextGoesOutAtOnceAndTheRestOfItsTurnAsOneFrameInOrder() throws Exception {
        TokenStream tokens = new TokenStream(link, context, JOB, 100, false, () -> { });

        int sentAtOnce = onContext(() -> {
            tokens.accept("Hel");
            int first = link.sent.size(); // not held for a later task: time to first token
            tokens.accept("lo");
            tokens.accept(", world");
            return first;
        });
        await(() -> link.sent.size() == 2);
        onContext(() -> null); // the queued send has run

        assertThat(sentAtOnce).isEqualTo(1);
        assertThat(link.frames()).containsExactly(List.of("Hel"), List.of("lo", ", world"));
        assertThat(onContext(() -> tokens.chunks)).isEqualTo(3);
        assertThat(onContext(() -> tokens.sent.toString())).isEqualTo("Hello, world");
    }

    @Test
    void tokensFromAnotherThreadWhileTheContextIsBusyGoOutAsOneFrame() throws Exception {
        TokenStream tokens = new TokenStream(link, context, JOB, 100, false, () -> { });
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        context.runOnContext(v -> {
            try {
                busy.await(30, TimeUnit.SECONDS); // the peer context is busy with other work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        tokens.accept("a"); // from the backend's thread
        tokens.accept("b");
        tokens.accept("c");
        busy.countDown();
        await(() -> !link.sent.isEmpty());
        onContext(() -> null);

        assertThat(link.frames()).containsExactly(List.of("a", "b", "c")); // one frame, each token its own entry
    }

    @Test
    void nothingIsSentWhileTheQueueIsFullAndTheWaitingTextGoesOutOnDrain() throws Exception {
        TokenStream tokens = new TokenStream(link, context, JOB, 100, false, () -> { });
        link.full = true;

        tokens.accept("a"); // from the backend's thread
        await(() -> link.waiters.size() == 1);
        tokens.accept("b");
        tokens.accept("c");
        onContext(() -> null); // anything queued on the context has run

        assertThat(link.sent).isEmpty();
        assertThat(link.waiters).hasSize(1); // one waiter per job, not one per token

        link.full = false;
        onContext(link::drain);

        assertThat(link.frames()).containsExactly(List.of("a", "b", "c"));
        tokens.accept("d");
        await(() -> link.sent.size() == 2);
        assertThat(link.frames()).containsExactly(List.of("a", "b", "c"), List.of("d"));
    }

    @Test
    void theEndSendsWhatWaitsEvenIntoAFullQueue() throws Exception {
        TokenStream tokens = new TokenStream(link, context, JOB, 100, false, () -> { });
        link.full = true;
        tokens.accept("x");
        tokens.accept("y");
        await(() -> link.waiters.size() == 1);

        onContext(() -> {
            tokens.end();
            return null;
        });
        tokens.accept("late"); // after the job's result: dropped

        assertThat(link.frames()).containsExactly(List.of("x", "y"));
        link.full = false;
        onContext(link::drain);
        assertThat(link.frames()).containsExactly(List.of("x", "y"));
    }

    @Test
    void tokensPastTheCapAreDroppedAndTheJobIsCut() throws Exception {
        AtomicInteger cuts = new AtomicInteger();
        TokenStream tokens = new TokenStream(link, context, JOB, 2, true, cuts::incrementAndGet);

        onContext(() -> {
            tokens.accept("1");
            tokens.accept("2");
            tokens.accept("3");
            return null;
        });
        await(() -> cuts.get() == 1);

        assertThat(link.frames().stream().flatMap(List::stream)).containsExactly("1", "2");
        assertThat(tokens.capped()).isTrue();
    }

    private <T> T onContext(Supplier<T> s) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                done.complete(s.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.get(30, TimeUnit.SECONDS);
    }

    /** Waits for a condition the context makes true (generous: the machine is shared). */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
