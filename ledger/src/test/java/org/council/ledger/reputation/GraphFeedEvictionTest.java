package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The karma side of eviction at the feed cap: a feed of capability announcements only may be
 * evicted and come back later from seq 1, possibly with other events (the node no longer holds
 * the first ones, so it cannot see a fork). Karma must read the returning feed as a replay of the
 * log would, not skip its first events as already applied.
 */
class GraphFeedEvictionTest {

    @TempDir
    Path dir;

    @Test
    void aFeedThatReturnsAfterEvictionIsAppliedFromItsFirstEvent() {
        try (KarmaNet net = new KarmaNet(dir)) {
            GraphFeed feed = new GraphFeed(new TrustGraph(1_000, 0), Runnable::run, () -> FeedBuilder.T0, () -> { });
            feed.scan(net.store, e -> { });
            FeedBuilder first = FeedBuilder.random();
            feed.enqueue(List.of(first.next(FeedBuilder.capabilities("m")), first.next(FeedBuilder.capabilities("m"))));

            // evicted (it held capabilities only), the author starts its feed again: a receipt half at seq 1
            FeedBuilder again = new FeedBuilder(first.keys());
            SignedEvent proposal = again.next(FeedBuilder.proposal(FeedBuilder.random().id(), 1_000));
            feed.enqueue(List.of(proposal));

            assertThat(feed.pendingHalves()).as("the returning feed's proposal is applied").isEqualTo(1);
        }
    }
}
