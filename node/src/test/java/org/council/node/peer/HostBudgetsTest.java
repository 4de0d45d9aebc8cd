package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

/**
 * The budgets the sessions of one host share ({@link HostBudgets}), on a clock the test moves: an
 * attacker's fresh identity finds what the banned one before it spent.
 */
class HostBudgetsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final SessionLimits limits = SessionLimits.defaults().withUnpaid(100, 10).withNewFeeds(2, Duration.ofHours(1));

    private ReplicationBudgets session(HostBudgets hosts, String host) {
        return new ReplicationBudgets(limits, nanos::get, hosts.of(host, limits));
    }

    @Test
    void aFreshIdentityFromTheSameHostFindsTheUnpaidBudgetItsPredecessorSpent() {
        HostBudgets hosts = new HostBudgets(limits, true, nanos::get);
        ReplicationBudgets first = session(hosts, "127.0.0.2");
        assertThat(first.unpaid(100)).isNull();
        assertThat(first.unpaid(50)).as("the first identity overdraws: banned").contains("forked");
        ReplicationBudgets second = session(hosts, "127.0.0.2");
        assertThat(second.unpaidSpent()).as("one batch at a time from now on").isTrue();
        assertThat(second.unpaid(1)).as("its first unpaid check: banned").contains("forked");
        ReplicationBudgets other = session(hosts, "127.0.0.3");
        assertThat(other.unpaidSpent()).isFalse();
        assertThat(other.unpaid(100)).as("another host keeps its own").isNull();
        nanos.addAndGet(Duration.ofSeconds(30).toNanos()); // +300: the debt of 51 repaid, and the bucket full
        assertThat(session(hosts, "127.0.0.2").unpaid(100)).isNull();
    }

    @Test
    void newFeedsBeyondTheHostsBudgetAreDroppedWithoutBlameWhileTheSessionsOwnBudgetStillBans() {
        HostBudgets hosts = new HostBudgets(limits, true, nanos::get);
        ReplicationBudgets first = session(hosts, "127.0.0.2");
        assertThat(first.newFeed(NodeKeyPair.generate().id(), true)).isNull();
        assertThat(first.newFeed(NodeKeyPair.generate().id(), true)).isNull();
        assertThat(first.newFeed(NodeKeyPair.generate().id(), true)).contains("more new feeds than 2");
        ReplicationBudgets second = session(hosts, "127.0.0.2");
        assertThat(second.newFeed(NodeKeyPair.generate().id(), true)).as("host spent, session not")
                .isSameAs(ReplicationBudgets.HOST_OVER);
        assertThat(second.newFeed(NodeKeyPair.generate().id(), true)).isSameAs(ReplicationBudgets.HOST_OVER);
        assertThat(second.newFeed(NodeKeyPair.generate().id(), true)).as("its own budget still ends in a ban")
                .contains("more new feeds than 2");
        assertThat(session(hosts, "127.0.0.3").newFeed(NodeKeyPair.generate().id(), true)).isNull();
    }

    @Test
    void unsharedEachSessionHasItsOwnBudgets() {
        HostBudgets hosts = new HostBudgets(limits, false, nanos::get);
        assertThat(session(hosts, "127.0.0.1").unpaid(101)).contains("forked");
        ReplicationBudgets next = session(hosts, "127.0.0.1");
        assertThat(next.unpaidSpent()).isFalse();
        assertThat(next.unpaid(100)).isNull();
        assertThat(hosts.hosts()).isZero();
    }

    @Test
    void theHostsRememberedAreBounded() {
        HostBudgets hosts = new HostBudgets(limits, true, nanos::get);
        for (int i = 0; i < HostBudgets.MAX_HOSTS + 10; i++) {
            session(hosts, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)).unpaid(1);
        }
        assertThat(hosts.hosts()).isLessThanOrEqualTo(HostBudgets.MAX_HOSTS);
    }
}
