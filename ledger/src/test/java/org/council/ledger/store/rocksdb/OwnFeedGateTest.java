package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gate on own appends, on a clock the test moves: a lying peer cannot stop a node for ever. */
class OwnFeedGateTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final OwnFeedGate gate = new OwnFeedGate(nanos::get, 120_000);

    private void advanceMs(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void closedWhileBehindAPeerClaimOpenWhenCaughtUp() {
        assertThat(gate.open(3)).isTrue();
        gate.seenAt(10);
        gate.seenAt(7); // a lower claim does not lower the bar
        assertThat(gate.open(3)).isFalse();
        assertThat(gate.open(9)).isFalse();
        assertThat(gate.open(10)).isTrue();
    }

    @Test
    void aLyingPeersClaimIsDroppedWhenTheOwnFeedStopsMoving() {
        gate.seenAt(1_000_000_000L); // an attacker claims our feed goes much further than it does
        assertThat(gate.open(5)).isFalse();
        advanceMs(119_000);
        assertThat(gate.open(5)).isFalse();
        advanceMs(2_000);
        assertThat(gate.open(5)).isTrue();
        assertThat(gate.open(5)).isTrue(); // and stays open
        gate.seenAt(2_000_000_000L); // the liar reconnects and claims again: ignored until restart
        assertThat(gate.open(5)).isTrue();
    }

    @Test
    void progressKeepsTheClaimAlive() {
        gate.seenAt(100);
        for (int seq = 1; seq < 100; seq++) {
            advanceMs(60_000); // slow, but moving: an honest peer sending a long feed
            assertThat(gate.open(seq)).isFalse();
        }
        assertThat(gate.open(100)).isTrue();
    }

    @Test
    void theStartUpHoldEndsOnReleaseOrAfterItsWait() {
        gate.hold(15_000);
        assertThat(gate.open(0)).isFalse();
        advanceMs(15_001);
        assertThat(gate.open(0)).isTrue();

        gate.hold(15_000);
        assertThat(gate.open(0)).isFalse();
        gate.release();
        assertThat(gate.open(0)).isTrue();
    }
}
