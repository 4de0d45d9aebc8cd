package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger writer hands events to karma through a queue and never waits on a karma lock. */
class KarmaOffWriterTest {

    @TempDir
    Path dir;

    @Test
    void commitsCompleteWhileTheGraphLockIsHeldAndKarmaCatchesUpAfterwards() throws Exception {
        ExecutorService karmaThread = Executors.newSingleThreadExecutor();
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaEngine engine = KarmaEngine.start(net.store, net.config(), List.of(), karmaThread);
            KarmaNet.Feed p = new KarmaNet.Feed();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // given: a long graph view build holds the graph lock
            holder.execute(() -> {
                synchronized (engine.feed().graphLock()) {
                    held.countDown();
                    await(release);
                }
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

            // when: the node appends and ingests meanwhile
            SignedEvent own = net.store.append(FeedBuilder.capabilities("m")).get(5, TimeUnit.SECONDS);
            net.servedSelf(p, 10, 0);
            net.flush();

            // then: every commit was durable without karma; karma applies them once the lock is free
            assertThat(own.seq()).isEqualTo(1);
            assertThat(engine.eventsSeen()).isLessThan(net.store.eventCount());
            release.countDown();
            net.awaitSeen(engine);
            assertThat(engine.settledReceipts()).isEqualTo(1);
        } finally {
            holder.shutdownNow();
            karmaThread.shutdownNow();
        }
    }

    @Test
    void theCommitListenerOnlyEnqueues() {
        List<Runnable> scheduled = new java.util.ArrayList<>();
        TrustGraph graph = new TrustGraph(1_000, 0);
        GraphFeed feed = new GraphFeed(graph, scheduled::add, () -> 0, () -> { });
        FeedBuilder author = FeedBuilder.random();
        SignedEvent e = author.next(FeedBuilder.capabilities("m"));

        feed.enqueue(List.of(e));
        feed.enqueue(List.of(e));

        assertThat(scheduled).as("one drain scheduled for both batches").hasSize(1);
        assertThat(feed.eventsSeen()).as("nothing applied on the caller's thread").isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
