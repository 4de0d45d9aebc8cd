package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.wire.DialBackStatus;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dial-backs on loopback. A node listening on 127.0.0.2 that dials out from 127.0.0.1 is the
 * loopback picture of a NATed node: its peers observe an address where nothing listens for it.
 */
class ReachabilityTest {

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

    @Test
    void twoDialableNodesLearnTheyArePublic() {
        Node a = cluster.start("a", List.of());
        Node b = cluster.start("b", List.of(a.id().hex() + "@" + a.address()));
        TestCluster.awaitTrue(() -> a.peers().reachability().status() == Reachability.Status.PUBLIC
                        && b.peers().reachability().status() == Reachability.Status.PUBLIC, WAIT,
                () -> "a " + a.peers().reachability() + ", b " + b.peers().reachability());
        assertThat(b.peers().reachability().observedHost()).contains("127.0.0.1");
        assertThat(b.peers().reachability().advertisedHost()).contains("127.0.0.1");
    }

    @Test
    void aNodeWhoseObservedAddressDoesNotReachItLearnsItIsPrivate() {
        Node pub = cluster.start("pub", List.of());
        PeerConfig d = PeerConfig.localDefaults().withSeeds(List.of(pub.id().hex() + "@" + pub.address()));
        // listens on 127.0.0.2 but dials out from 127.0.0.1: the dial-back finds no listener there
        Node hidden = cluster.start("hidden", new PeerConfig(d.networkId(), "127.0.0.2", 0, d.seeds(),
                d.maxConnections(), d.targetConnections(), d.banDuration(), d.duplicateBudget(),
                d.duplicateRefillPerSecond(), d.lan(), d.admission(), d.anchorsFile(), d.limits()));
        TestCluster.awaitTrue(() -> hidden.peers().reachability().status() == Reachability.Status.PRIVATE
                        && pub.peers().reachability().status() == Reachability.Status.PUBLIC, WAIT,
                () -> "hidden " + hidden.peers().reachability() + ", pub " + pub.peers().reachability());
        assertThat(hidden.peers().reachability().observedHost()).contains("127.0.0.1");
    }

    @Test
    void aDialBackGoesOnlyToTheRequestersObservedAddressAndCountsOnlyItsOwnKey() {
        Node target = cluster.start("target", List.of());
        Node bystander = cluster.start("bystander", List.of());
        RawPeer attacker = admitted(target);
        // the request names only a port: the bystander listens there, on the attacker's address,
        // but proves another key, so it is no evidence the attacker is dialable
        attacker.send(new WireMessage.DialBackRequest(bystander.peers().listenPort(), new byte[] {1}));
        WireMessage.DialBackResult r = result(attacker, 1);
        assertThat(r.status()).isEqualTo(DialBackStatus.UNREACHABLE);
        assertThat(r.observedHost()).isEqualTo("127.0.0.1");
        assertThat(r.observedPort()).isPositive();
        // a second request in the same minute is not tried
        attacker.send(new WireMessage.DialBackRequest(bystander.peers().listenPort(), new byte[] {2}));
        assertThat(result(attacker, 2).status()).isEqualTo(DialBackStatus.REFUSED);
        assertThat(target.peers().connectedPeers()).as("refused, not banned").containsKey(attacker.keys.id());
    }

    @Test
    void atMostFourDialBacksRunAtOnce() throws Exception {
        Node target = cluster.start("target", List.of());
        // accepts TCP and never speaks TLS: every dial-back to it runs until its timeout
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<RawPeer> askers = new ArrayList<>();
            for (int i = 0; i < ReachabilityProtocol.MAX_CONCURRENT + 1; i++) {
                askers.add(admitted(target));
            }
            for (int i = 0; i < askers.size(); i++) {
                askers.get(i).send(new WireMessage.DialBackRequest(silent.getLocalPort(), new byte[] {(byte) i}));
            }
            List<DialBackStatus> answers = new ArrayList<>();
            for (int i = 0; i < askers.size(); i++) {
                answers.add(result(askers.get(i), i).status());
            }
            assertThat(answers).filteredOn(s -> s == DialBackStatus.REFUSED).hasSize(1);
            assertThat(answers).filteredOn(s -> s == DialBackStatus.UNREACHABLE)
                    .hasSize(ReachabilityProtocol.MAX_CONCURRENT);
        }
    }

    @Test
    void anOversizeNonceEndsTheSessionWithoutADial() {
        Node target = cluster.start("target", List.of());
        RawPeer attacker = admitted(target);
        attacker.send(new WireMessage.DialBackRequest(target.peers().listenPort(),
                new byte[ReachabilityProtocol.MAX_NONCE_BYTES + 1]));
        TestCluster.awaitTrue(() -> attacker.goodbye() != null, WAIT, () -> "not told off: " + attacker.received);
        assertThat(attacker.goodbye().reason()).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
        assertThat(attacker.received).noneMatch(m -> m instanceof WireMessage.DialBackResult);
        assertThat(target.peers().isBanned(attacker.keys.id())).as("no ban").isFalse();
    }

    @Test
    void theQuorumDecides() {
        NodeKeyPair p1 = NodeKeyPair.generate();
        NodeKeyPair p2 = NodeKeyPair.generate();
        NodeKeyPair p3 = NodeKeyPair.generate();
        Reachability r = new Reachability("0.0.0.0");
        assertThat(r.status()).isEqualTo(Reachability.Status.UNKNOWN);
        r.record(p1.id(), true, "203.0.113.5", 3);
        assertThat(r.status()).as("one of three peers is not enough").isEqualTo(Reachability.Status.UNKNOWN);
        assertThat(r.advertisedHost()).isEmpty();
        r.record(p2.id(), false, "203.0.113.5", 3);
        assertThat(r.status()).isEqualTo(Reachability.Status.UNKNOWN);
        r.record(p3.id(), true, "203.0.113.5", 3);
        assertThat(r.status()).isEqualTo(Reachability.Status.PUBLIC);
        assertThat(r.advertisedHost()).contains("203.0.113.5");

        Reachability alone = new Reachability("10.0.0.7");
        alone.record(p1.id(), false, "198.51.100.1", 1);
        assertThat(alone.status()).as("a single peer decides alone").isEqualTo(Reachability.Status.PRIVATE);
        assertThat(alone.advertisedHost()).as("a configured host is kept").contains("10.0.0.7");
    }

    private RawPeer admitted(Node target) {
        RawPeer p = TestCluster.await(new RawPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", p.keys.id(), 0, "asker"));
        TestCluster.awaitTrue(() -> target.peers().connectedPeers().containsKey(p.keys.id()), WAIT,
                () -> "raw peer not admitted: " + p.goodbye());
        return p;
    }

    private static WireMessage.DialBackResult result(RawPeer p, int nonce) {
        TestCluster.awaitTrue(() -> find(p, nonce) != null, WAIT, () -> "no dial-back result " + nonce + ": " + p.received);
        return find(p, nonce);
    }

    private static WireMessage.DialBackResult find(RawPeer p, int nonce) {
        return p.received.stream().filter(m -> m instanceof WireMessage.DialBackResult r
                        && r.nonce().length == 1 && r.nonce()[0] == (byte) nonce)
                .map(m -> (WireMessage.DialBackResult) m).findFirst().orElse(null);
    }
}
