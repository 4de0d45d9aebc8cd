package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.council.crypto.NodeKeyPair;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.wire.WireMessage;
import org.council.node.wire.CircuitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay's limits on the wire, hit by raw peers: reservations beyond the cap are refused, a
 * circuit needs a reservation, circuits beyond the per-reservation cap are refused, a circuit that
 * carries more than its bytes is closed at both ends, an oversize data frame ends the session
 * (without a ban), and relaying off refuses everything.
 */
class RelayAttackTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TestCluster cluster;
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        cluster.close();
        TestCluster.await(vertx.close());
    }

    private Node relay(RelayConfig config) {
        return cluster.start("relay", PeerConfig.localDefaults().withRelay(config));
    }

    @Test
    void reservationsCircuitsAndBytesAreBoundedAndAStrangerCannotTakeMore() {
        Node relay = relay(RelayConfig.defaults().withLimits(2, 1, 8, 4_096, Duration.ofMinutes(5)));
        RawPeer t1 = admitted(relay);
        RawPeer t2 = admitted(relay);
        RawPeer t3 = admitted(relay);
        for (RawPeer t : List.of(t1, t2, t3)) {
            t.send(new WireMessage.RelayReserve());
        }
        assertThat(reservation(t1).accepted()).isTrue();
        assertThat(reservation(t1).maxCircuitBytes()).isEqualTo(4_096);
        assertThat(reservation(t2).accepted()).isTrue();
        assertThat(reservation(t3).accepted()).as("over 2 reservations").isFalse();

        RawPeer attacker = admitted(relay);
        attacker.send(new WireMessage.CircuitConnect(1, NodeKeyPair.generate().id(), false));
        assertThat(status(attacker, 1).status()).isEqualTo(CircuitState.NO_RESERVATION);

        attacker.send(new WireMessage.CircuitConnect(2, t1.keys.id(), false));
        WireMessage.CircuitConnect offered = (WireMessage.CircuitConnect) await(t1,
                m -> m instanceof WireMessage.CircuitConnect c && c.circuitId() == 2);
        assertThat(offered.peer()).as("the target hears who dials").isEqualTo(attacker.keys.id());
        assertThat(offered.toTarget()).isTrue();
        t1.send(new WireMessage.CircuitStatus(2, CircuitState.OPENED, ""));
        assertThat(status(attacker, 2).status()).isEqualTo(CircuitState.OPENED);

        attacker.send(new WireMessage.CircuitConnect(3, t1.keys.id(), false));
        assertThat(status(attacker, 3).status()).as("one circuit per reservation").isEqualTo(CircuitState.LIMIT);

        attacker.send(new WireMessage.CircuitData(2, new byte[3_000]));
        await(t1, m -> m instanceof WireMessage.CircuitData d && d.circuitId() == 2 && d.data().length == 3_000);
        attacker.send(new WireMessage.CircuitData(2, new byte[2_000])); // 5,000 > 4,096
        assertThat(status(attacker, 2, CircuitState.LIMIT).detail()).contains("4096 bytes");
        assertThat(status(t1, 2, CircuitState.LIMIT)).isNotNull();
        assertThat(t1.received).as("the bytes over the limit are not forwarded")
                .noneMatch(m -> m instanceof WireMessage.CircuitData d && d.data().length == 2_000);
        assertThat(relay.peers().relayStatus().circuits()).isZero();

        attacker.send(new WireMessage.CircuitData(2, new byte[CircuitEnds.MAX_CHUNK + 1]));
        TestCluster.awaitTrue(() -> attacker.goodbye() != null, WAIT, () -> "not told off: " + attacker.received);
        assertThat(attacker.goodbye().reason()).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
        assertThat(relay.peers().isBanned(attacker.keys.id())).as("no ban").isFalse();
    }

    @Test
    void withRelayingOffNothingIsReservedOrRelayed() {
        Node relay = relay(RelayConfig.defaults().withEnabled(false));
        RawPeer t = admitted(relay);
        t.send(new WireMessage.RelayReserve());
        assertThat(reservation(t).accepted()).isFalse();
        RawPeer attacker = admitted(relay);
        attacker.send(new WireMessage.CircuitConnect(9, t.keys.id(), false));
        assertThat(status(attacker, 9).status()).isEqualTo(CircuitState.REFUSED);
    }

    private RawPeer admitted(Node target) {
        RawPeer p = TestCluster.await(new RawPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", p.keys.id(), 0, "raw"));
        TestCluster.awaitTrue(() -> target.peers().connectedPeers().containsKey(p.keys.id()), WAIT,
                () -> "raw peer not admitted: " + p.goodbye());
        return p;
    }

    private static WireMessage await(RawPeer p, Predicate<WireMessage> which) {
        TestCluster.awaitTrue(() -> p.received.stream().anyMatch(which), WAIT, () -> "not received: " + p.received);
        return p.received.stream().filter(which).findFirst().orElseThrow();
    }

    private static WireMessage.RelayReservation reservation(RawPeer p) {
        return (WireMessage.RelayReservation) await(p, m -> m instanceof WireMessage.RelayReservation);
    }

    private static WireMessage.CircuitStatus status(RawPeer p, long id) {
        return (WireMessage.CircuitStatus) await(p, m -> m instanceof WireMessage.CircuitStatus s && s.circuitId() == id);
    }

    private static WireMessage.CircuitStatus status(RawPeer p, long id, CircuitState state) {
        return (WireMessage.CircuitStatus) await(p, m -> m instanceof WireMessage.CircuitStatus s && s.circuitId() == id
                && s.status() == state);
    }
}
