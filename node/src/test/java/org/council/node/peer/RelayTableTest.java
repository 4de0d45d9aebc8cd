package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.node.wire.CircuitState;
import org.junit.jupiter.api.Test;

/** The relay's state machine and every limit of it, hit by an attacker, without a network. */
class RelayTableTest {

    private final AtomicLong now = new AtomicLong();
    private final RelayConfig config = RelayConfig.defaults().withLimits(2, 2, 3, 1_000, Duration.ofSeconds(60));
    private final RelayTable<String> table = new RelayTable<>(config, now::get);

    private static NodeId id() {
        return NodeKeyPair.generate().id();
    }

    @Test
    void aReservationLetsADiallerOpenACircuitThatTheTargetAccepts() {
        NodeId b = id();
        assertThat(table.reserve(b, "sB")).isNull();
        assertThat(table.connect(7, "sA", b)).isEqualTo(CircuitState.OPENED);
        assertThat(table.of(7, "sA").open).as("pending until the target says yes").isFalse();
        assertThat(table.opened(7, "sA")).as("only the target's session may accept").isNull();
        assertThat(table.opened(7, "sB")).isNotNull();
        assertThat(table.of(7, "sA").other("sA")).isEqualTo("sB");
        assertThat(table.of(7, "sX")).as("a third session cannot touch the circuit").isNull();
    }

    @Test
    void noReservationNoCircuitAndNoCircuitToOneself() {
        NodeId b = id();
        assertThat(table.connect(1, "sA", b)).isEqualTo(CircuitState.NO_RESERVATION);
        table.reserve(b, "sB");
        assertThat(table.connect(2, "sB", b)).isEqualTo(CircuitState.NO_RESERVATION);
    }

    @Test
    void anAttackerGetsNoMoreReservationsThanTheLimit() {
        assertThat(table.reserve(id(), "s1")).isNull();
        assertThat(table.reserve(id(), "s2")).isNull();
        assertThat(table.reserve(id(), "s3")).contains("holds 2 reservations");
        assertThat(table.reservationCount()).isEqualTo(2);
        table.dropSession("s1");
        assertThat(table.reserve(id(), "s3")).as("a freed slot is free").isNull();
    }

    @Test
    void anAttackerGetsNoMoreCircuitsThanPerReservationAndInAll() {
        NodeId b = id();
        NodeId c = id();
        table.reserve(b, "sB");
        table.reserve(c, "sC");
        assertThat(table.connect(1, "sA", b)).isEqualTo(CircuitState.OPENED);
        assertThat(table.connect(1, "sA", c)).as("a circuit id in use").isEqualTo(CircuitState.REFUSED);
        assertThat(table.connect(2, "sA", b)).isEqualTo(CircuitState.OPENED);
        assertThat(table.connect(3, "sA", b)).as("per reservation").isEqualTo(CircuitState.LIMIT);
        assertThat(table.connect(4, "sA", c)).isEqualTo(CircuitState.OPENED);
        assertThat(table.connect(5, "sA", c)).as("in all").isEqualTo(CircuitState.LIMIT);
    }

    @Test
    void aCircuitCarriesNoMoreBytesThanItsLimit() {
        NodeId b = id();
        table.reserve(b, "sB");
        table.connect(1, "sA", b);
        RelayTable.Circuit<String> c = table.opened(1, "sB");
        assertThat(table.carry(c, 600)).isTrue();
        assertThat(table.carry(c, 400)).isTrue();
        assertThat(table.carry(c, 1)).as("over 1,000 bytes").isFalse();
    }

    @Test
    void circuitsExpireOpenAfterTheirDurationAndPendingAfterTenSeconds() {
        NodeId b = id();
        table.reserve(b, "sB");
        table.connect(1, "sA", b);
        table.connect(2, "sA", b);
        table.opened(1, "sB");
        now.addAndGet(RelayTable.PENDING_NANOS + 1);
        assertThat(table.expired()).extracting(c -> c.id).containsExactly(2L);
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(table.expired()).extracting(c -> c.id).containsExactly(1L);
        assertThat(table.circuitCount()).isZero();
    }

    @Test
    void aClosedSessionTakesItsReservationAndCircuits() {
        NodeId b = id();
        table.reserve(b, "sB");
        table.connect(1, "sA", b);
        assertThat(table.dropSession("sB")).extracting(c -> c.id).containsExactly(1L);
        assertThat(table.reservation(b)).isNull();
        assertThat(table.connect(2, "sA", b)).isEqualTo(CircuitState.NO_RESERVATION);
    }

    @Test
    void relayingOffRefusesEverything() {
        RelayTable<String> off = new RelayTable<>(config.withEnabled(false), now::get);
        assertThat(off.reserve(id(), "sB")).contains("off");
        assertThat(off.connect(1, "sA", id())).isEqualTo(CircuitState.REFUSED);
    }
}
