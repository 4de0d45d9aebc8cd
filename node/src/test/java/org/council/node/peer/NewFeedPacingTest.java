package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sending side of the new-feed budget: never more than the receiving side takes, parked feeds resumed. */
class NewFeedPacingTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong nanos = new AtomicLong();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aSenderStartsNoMoreNewFeedsThanTheReceiverAcceptsAndResumesTheParkedOnes() throws Exception {
        // 100 per 20 s at the receiver, whose own bucket is the one that bans; the pacing's timer
        // (a token's refill time, 222 ms) runs on real time, the buckets on the test's clock
        SessionLimits limits = SessionLimits.defaults().withNewFeeds(100, Duration.ofSeconds(20));
        List<NodeId> feeds = java.util.stream.Stream.generate(() -> NodeKeyPair.generate().id()).limit(150).toList();
        ReplicationBudgets receiver = new ReplicationBudgets(limits, nanos::get);
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture<List<NodeId>> resumed = new CompletableFuture<>();
        NewFeedPacing pacing = on(ctx, () -> new NewFeedPacing(limits, ctx, nanos::get, resumed::complete));
        int started = 0;
        NodeId parked = null;
        for (NodeId feed : feeds) {
            if (on(ctx, () -> pacing.mayStart(feed))) {
                started++;
                assertThat(receiver.newFeed(feed, true)).as("the receiver bans what the sender started").isNull();
                receiver.ingested(feed);
            } else if (parked == null) {
                parked = feed;
            }
        }
        assertThat(started).isEqualTo(90); // the margin: 10% below the receiver's budget
        assertThat(on(ctx, pacing::parked)).isEqualTo(60);
        nanos.addAndGet(Duration.ofSeconds(20).toNanos()); // the receiver's window passes
        List<NodeId> again = resumed.get(30, TimeUnit.SECONDS);
        assertThat(again).hasSize(60).startsWith(parked);
        assertThat(on(ctx, pacing::parked)).isZero();
        assertThat(on(ctx, () -> pacing.mayStart(again.get(0)))).as("refilled").isTrue();
    }

    private static <T> T on(Context ctx, java.util.concurrent.Callable<T> call) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                out.complete(call.call());
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        });
        return out.get(30, TimeUnit.SECONDS);
    }
}
