package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

/**
 * History that another session of the same address already holds is served from one budget per
 * address; what is new to the address never waits.
 */
class HostRepeatsTest {

    private static final String HOST = "203.0.113.7";
    private static final int RATE = 100;
    private final AtomicLong now = new AtomicLong();
    private final HostRepeats repeats = new HostRepeats(true, RATE, now::get);
    private final NodeId feed = NodeKeyPair.generate().id();

    @Test
    void aSecondIdentityOfAnAddressGetsWhatTheFirstHoldsAtTheRepeatRateOnly() {
        Map<NodeId, Long> first = new HashMap<>();
        Map<NodeId, Long> second = new HashMap<>();
        repeats.opened(HOST, first);
        repeats.opened(HOST, second);
        first.put(feed, 5_000L);

        assertThat(repeats.mustWait(HOST, first, feed, 5_001)).as("new to the address").isFalse();
        int burst = HostRepeats.BURST_SECONDS * RATE;
        assertThat(repeats.mustWait(HOST, second, feed, 1)).as("the burst").isFalse();
        repeats.served(HOST, second, feed, 1, burst);
        assertThat(repeats.mustWait(HOST, second, feed, burst + 1)).as("the burst spent").isTrue();
        assertThat(repeats.mustWait(HOST, second, NodeKeyPair.generate().id(), 1))
                .as("a feed no other session holds").isFalse();
        assertThat(repeats.mustWait(HOST, first, feed, 5_001)).as("the first is not slowed").isFalse();

        now.addAndGet(1_000_000_000L); // one second: RATE more
        assertThat(repeats.mustWait(HOST, second, feed, burst + 1)).isFalse();
        repeats.served(HOST, second, feed, burst + 1, RATE);
        assertThat(repeats.mustWait(HOST, second, feed, burst + RATE + 1)).isTrue();
    }

    @Test
    void onlyThePartAnotherSessionHoldsIsPaidFor() {
        Map<NodeId, Long> first = new HashMap<>(Map.of(feed, 10L));
        Map<NodeId, Long> second = new HashMap<>();
        repeats.opened(HOST, first);
        repeats.opened(HOST, second);
        int burst = HostRepeats.BURST_SECONDS * RATE;

        repeats.served(HOST, second, feed, 1, burst + 10); // 10 repeats, the rest new to the address

        assertThat(repeats.mustWait(HOST, second, feed, 1)).isFalse();
        first.put(feed, 100_000L);
        repeats.served(HOST, second, feed, 1, burst - 11);
        assertThat(repeats.mustWait(HOST, second, feed, 1)).as("one token left").isFalse();
        repeats.served(HOST, second, feed, 1, 1);
        assertThat(repeats.mustWait(HOST, second, feed, 1)).isTrue();
    }

    @Test
    void aReplacedIdentityDoesNotStartOverAndTheAddressIsForgottenWithItsLastSession() {
        Map<NodeId, Long> first = new HashMap<>(Map.of(feed, 5_000L));
        Map<NodeId, Long> second = new HashMap<>();
        repeats.opened(HOST, first);
        repeats.opened(HOST, second);
        repeats.served(HOST, second, feed, 1, HostRepeats.BURST_SECONDS * RATE);

        repeats.closed(HOST, first); // the node closed it; the attacker brings a fresh identity
        Map<NodeId, Long> third = new HashMap<>();
        repeats.opened(HOST, third);

        assertThat(repeats.mustWait(HOST, third, feed, 1)).as("what the closed one held still counts").isTrue();
        repeats.closed(HOST, second);
        repeats.closed(HOST, third);
        assertThat(repeats.hosts()).isZero();
        Map<NodeId, Long> later = new HashMap<>();
        repeats.opened(HOST, later);
        assertThat(repeats.mustWait(HOST, later, feed, 1)).as("a node that reconnects is served as before").isFalse();
    }

    @Test
    void sessionsHoldingAlikeAreTwoSessions() {
        Map<NodeId, Long> first = new HashMap<>();
        Map<NodeId, Long> second = new HashMap<>();
        repeats.opened(HOST, first);
        repeats.opened(HOST, second);
        repeats.closed(HOST, second); // equal maps: the one closed, not the other
        first.put(feed, 5_000L);
        Map<NodeId, Long> third = new HashMap<>();
        repeats.opened(HOST, third);
        repeats.served(HOST, third, feed, 1, HostRepeats.BURST_SECONDS * RATE);
        assertThat(repeats.mustWait(HOST, third, feed, 1)).isTrue();
    }

    @Test
    void otherAddressesLocalNetworksAndSessionsWithoutAHostAreNotCounted() {
        Map<NodeId, Long> first = new HashMap<>(Map.of(feed, 5_000L));
        Map<NodeId, Long> other = new HashMap<>();
        repeats.opened(HOST, first);
        repeats.opened("203.0.113.8", other);
        repeats.served("203.0.113.8", other, feed, 1, 100 * RATE);
        assertThat(repeats.mustWait("203.0.113.8", other, feed, 1)).isFalse();

        HostRepeats off = HostRepeats.off();
        Map<NodeId, Long> a = new HashMap<>(Map.of(feed, 5_000L));
        Map<NodeId, Long> b = new HashMap<>();
        off.opened("127.0.0.1", a);
        off.opened("127.0.0.1", b);
        off.served("127.0.0.1", b, feed, 1, 100_000);
        assertThat(off.mustWait("127.0.0.1", b, feed, 1)).isFalse();
        assertThat(off.hosts()).isZero();

        repeats.opened(null, b);
        assertThat(repeats.mustWait(null, b, feed, 1)).isFalse();
    }

    @Test
    void anIpv6Slash64IsOneAddress() {
        Map<NodeId, Long> first = new HashMap<>(Map.of(feed, 5_000L));
        Map<NodeId, Long> second = new HashMap<>();
        repeats.opened("2001:db8:1:2::1", first);
        repeats.opened("2001:db8:1:2::ffff", second);
        repeats.served("2001:db8:1:2::ffff", second, feed, 1, HostRepeats.BURST_SECONDS * RATE);
        assertThat(repeats.mustWait("2001:db8:1:2::ffff", second, feed, 1)).isTrue();
        assertThat(repeats.hosts()).isEqualTo(1);
    }
}
