package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

/** The per-session replication budgets on a clock the test moves. */
class ReplicationBudgetsTest {

    private final AtomicLong nanos = new AtomicLong();

    private ReplicationBudgets budgets(SessionLimits limits) {
        return new ReplicationBudgets(limits, nanos::get);
    }

    @Test
    void clocksEntriesAreCountedOverEveryFrame() {
        ReplicationBudgets b = budgets(SessionLimits.defaults().withMaxClockEntries(10));
        assertThat(b.clockEntries(6)).isNull();
        assertThat(b.clockEntries(4)).isNull();
        assertThat(b.clockEntries(1)).contains("more than 10");
    }

    @Test
    void aNewFeedTakesOneTokenWhateverItsBatchesInFlightAndRefillsOverTheWindow() {
        ReplicationBudgets b = budgets(SessionLimits.defaults().withNewFeeds(2, Duration.ofHours(1)));
        NodeId x = NodeKeyPair.generate().id();
        NodeId y = NodeKeyPair.generate().id();
        NodeId z = NodeKeyPair.generate().id();
        assertThat(b.newFeed(x, true)).isNull();
        assertThat(b.newFeed(x, true)).as("a second batch of x in flight").isNull();
        assertThat(b.newFeed(y, true)).isNull();
        assertThat(b.newFeed(NodeKeyPair.generate().id(), false)).as("a feed the node holds").isNull();
        assertThat(b.newFeed(z, true)).contains("more new feeds than 2");
        b.ingested(z);
        nanos.addAndGet(Duration.ofMinutes(61).toNanos()); // refilled (and the overdraft repaid)
        assertThat(b.newFeed(z, true)).isNull();
    }

    @Test
    void unpaidChecksHaveABudgetThatRefills() {
        ReplicationBudgets b = budgets(SessionLimits.defaults().withUnpaid(100, 10));
        assertThat(b.unpaid(0)).isNull();
        assertThat(b.unpaid(100)).isNull();
        assertThat(b.unpaid(1)).contains("forked");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // +20, minus the 1 overdrawn
        assertThat(b.unpaid(19)).isNull();
    }
}
