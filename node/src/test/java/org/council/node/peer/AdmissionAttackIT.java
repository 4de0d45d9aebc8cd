package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attack per test against admission and the address book, each asserting its bound. The
 * attacker connects from 127.0.0.1; "another host" is 127.0.0.2. The target runs the production
 * admission limits ({@link PeerConfig.Admission#defaults()}), whose 10 s hello deadline also bounds
 * the TLS handshakes of the honest peers and admitted identities here, however loaded the machine.
 */
class AdmissionAttackIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final PeerConfig.Admission STRICT = PeerConfig.Admission.defaults();

    @TempDir
    Path dir;

    private TestCluster cluster;
    private Vertx vertx;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        TestCluster.await(vertx.close());
        cluster.close();
    }

    private Node target(List<String> seeds) {
        return target(seeds, STRICT);
    }

    private Node target(List<String> seeds, PeerConfig.Admission admission) {
        return cluster.start("target", PeerConfig.localDefaults().withAdmission(admission).withSeeds(seeds));
    }

    /** A peer from 127.0.0.2 says hello and receives the target's feed. */
    private BoundPeer honestPeerReplicates(Node target) {
        BoundPeer honest = TestCluster.await(new BoundPeer(NodeKeyPair.generate())
                .hello(vertx, target.peers().listenPort(), "127.0.0.2", "council-test"));
        TestCluster.awaitTrue(() -> honest.got(WireMessage.Kind.CLOCKS), WAIT, () -> "honest peer got no clocks: "
                + honest.received);
        honest.send(new WireMessage.Clocks(List.of(), true));
        TestCluster.awaitTrue(() -> honest.got(WireMessage.Kind.EVENTS), WAIT, () -> "honest peer got no events");
        assertThat(target.peers().connectedPeers()).containsKey(honest.keys.id());
        return honest;
    }

    @Test
    void aThousandConnectionsThatNeverSayHelloAreCappedAndClosedAtTheDeadline() {
        // the deadline also bounds the TLS handshake: under a flood of handshakes on a loaded machine,
        // 2 s could expire the honest peer's own handshake, so this test gives it 5 s
        PeerConfig.Admission limits = STRICT.withHelloTimeout(Duration.ofSeconds(5));
        Node target = target(List.of(), limits);
        target.store().append(FeedBuilder.capabilities("to-replicate")).join();
        int port = target.peers().listenPort();
        NetClient attacker = BoundPeer.client(vertx, NodeKeyPair.generate(), "127.0.0.1");
        AtomicInteger closed = new AtomicInteger();
        int total = 1_000;
        int batch = 20;
        Future<Void> flood = Future.succeededFuture();
        for (int b = 0; b < total / batch; b++) {
            flood = flood.compose(v -> {
                List<Future<?>> connects = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    connects.add(attacker.connect(port, "127.0.0.1")
                            .onSuccess(s -> {
                                s.handler(buf -> { }); // reads, never says hello
                                s.closeHandler(x -> closed.incrementAndGet());
                            })
                            .onFailure(err -> closed.incrementAndGet()));
                }
                return Future.join(connects).otherwiseEmpty().mapEmpty();
            });
        }
        Future<Void> flooding = flood;
        // once the attacker holds its pre-hello cap, an honest peer from another address connects and replicates
        TestCluster.awaitTrue(() -> target.peers().pendingHellos()[0] >= limits.maxPendingPerAddress() || flooding.isComplete(),
                WAIT, () -> "the flood never reached the cap");
        honestPeerReplicates(target);
        TestCluster.await(flooding);
        TestCluster.awaitTrue(() -> closed.get() == total, WAIT, () -> closed.get() + " of " + total + " closed");
        int[] pending = target.peers().pendingHellos();
        assertThat(pending[1]).as("most connections ever waiting for hello (attacker's cap + the honest one)")
                .isLessThanOrEqualTo(limits.maxPendingPerAddress() + 1);
        assertThat(target.peers().admissionCounts()).containsKey("hello_timeout").containsKey("pending_address_cap");
        TestCluster.awaitTrue(() -> target.peers().pendingHellos()[0] == 0, WAIT, () -> "still waiting for hello");
    }

    @Test
    void sixtyFourIdentitiesFromOneAddressCannotTakeTheSeedOrTheInboundSlots() {
        Node seed = cluster.start("seed", List.of());
        Node target = target(List.of(seed.id().hex() + "@" + seed.address()));
        TestCluster.awaitTrue(() -> target.peers().connectedPeers().containsKey(seed.id()), WAIT, () -> "seed");
        List<NodeId> sybils = new ArrayList<>();
        List<RawPeer> held = new ArrayList<>();
        int refusedBeforeTls = 0;
        for (int i = 0; i < 64; i++) {
            RawPeer p;
            try {
                p = TestCluster.await(new RawPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort()));
            } catch (AssertionError outOfHandshakes) {
                refusedBeforeTls++; // the address's handshake budget (16 at once) ran out
                continue;
            }
            p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", p.keys.id(), 0, "sybil"));
            TestCluster.awaitTrue(() -> p.isClosed() || p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks),
                    WAIT, () -> "sybil neither admitted nor refused");
            sybils.add(p.keys.id());
            held.add(p);
        }
        long admitted = sybils.stream().filter(target.peers().connectedPeers()::containsKey).count();
        assertThat(admitted).as("sybil sessions from one address").isLessThanOrEqualTo(STRICT.maxInboundPerAddress());
        assertThat(held.stream().filter(RawPeer::isClosed).count()).isGreaterThanOrEqualTo(held.size() - admitted);
        assertThat(target.peers().connectedPeers()).as("the seed keeps its session").containsKey(seed.id());
        assertThat(target.peers().admissionCounts().get("address_cap")
                + target.peers().admissionCounts().getOrDefault("handshake_rate", 0)).isGreaterThanOrEqualTo(60);
        assertThat(refusedBeforeTls).isEqualTo(target.peers().admissionCounts().getOrDefault("handshake_rate", 0));
        honestPeerReplicates(target);
    }

    @Test
    void anAddressWhoseIdentitiesGetBannedRunsOutOfHandshakesBeforeTls() {
        // 4 handshakes at once, 1 more a minute, a ban costs 4: after one ban the address is refused before TLS
        PeerConfig.Admission limits = STRICT.withHandshakeRate(4, 1, 4);
        Node target = target(List.of(), limits);
        target.store().append(FeedBuilder.capabilities("to-replicate")).join();
        int refusedBeforeTls = 0;
        for (int i = 0; i < 20; i++) {
            RawPeer p;
            try {
                p = TestCluster.await(new RawPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort()));
            } catch (AssertionError outOfHandshakes) {
                refusedBeforeTls++;
                continue;
            }
            // a fresh key each time, and a hello naming another key than the TLS one: a ban
            p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", NodeKeyPair.generate().id(), 0,
                    "liar"));
            TestCluster.awaitTrue(p::isClosed, WAIT, () -> "a lying identity was not closed");
        }
        assertThat(target.peers().misbehaviourCounts().get("WRONG_IDENTITY")).as("identities banned").isBetween(1, 2);
        assertThat(refusedBeforeTls).isGreaterThanOrEqualTo(18);
        assertThat(target.peers().admissionCounts().get("handshake_rate")).isEqualTo(refusedBeforeTls);
        honestPeerReplicates(target); // another address, its own budget
    }

    /**
     * Identities beyond the per-address cap are refused after their TLS handshake (only hello tells
     * who they are): each such refusal costs the address as a ban does (8 handshakes), so after 4
     * sessions and two refusals the address's 16 handshakes are spent and it is refused before TLS
     * (without the charge it would get 12 more handshakes).
     */
    @Test
    void identitiesRefusedAtTheAddressCapPayForTheirHandshakes() {
        Node target = target(List.of());
        for (int i = 0; i < STRICT.maxInboundPerAddress(); i++) {
            BoundPeer p = TestCluster.await(new BoundPeer(NodeKeyPair.generate())
                    .hello(vertx, target.peers().listenPort(), "127.0.0.3", "council-test"));
            TestCluster.awaitTrue(() -> p.got(WireMessage.Kind.CLOCKS), WAIT, () -> "identity not admitted");
        }
        int refusedBeforeTls = 0;
        for (int i = 0; i < 4; i++) {
            BoundPeer p;
            try {
                p = TestCluster.await(new BoundPeer(NodeKeyPair.generate())
                        .hello(vertx, target.peers().listenPort(), "127.0.0.3", "council-test"));
            } catch (AssertionError outOfHandshakes) {
                refusedBeforeTls++;
                continue;
            }
            TestCluster.awaitTrue(p::isClosed, WAIT, () -> "an identity over the address cap was not refused");
        }
        assertThat(target.peers().admissionCounts().get("address_cap")).isBetween(1, 3);
        assertThat(refusedBeforeTls).as("tries refused before TLS").isGreaterThanOrEqualTo(1);
        assertThat(target.peers().admissionCounts().get("handshake_rate")).isEqualTo(refusedBeforeTls);
        honestPeerReplicates(target); // another address, its own budget
    }

    /**
     * Keys are free, so an attacker brings a fresh identity after each ban. From an address whose
     * identity was just banned (a fork replay, 127.0.0.3), the next identity is served no history
     * while an honest address is (ban probation), and it finds the unpaid budget its predecessor
     * spent: one batch of forks, validated alone, ends in its ban (with a budget per session it
     * would get 1,024 checks again, and 8 batches in flight).
     */
    @Test
    void aFreshIdentityAfterABanIsServedNoHistoryAndFindsItsAddressesUnpaidBudgetSpent() {
        // the default budget (1,024 checks) without its refill, and a long probation: the address is still
        // on probation and its budget still spent when the next identity arrives, however slow the machine
        Node target = cluster.start("target", PeerConfig.localDefaults()
                .withAdmission(STRICT.withBanProbation(Duration.ofMinutes(10)))
                .withLimits(SessionLimits.defaults().withUnpaid(1_024, 0)));
        target.store().append(FeedBuilder.capabilities("to-replicate")).join();
        NodeKeyPair liar = NodeKeyPair.generate();
        BoundPeer first = TestCluster.await(new BoundPeer(liar).hello(vertx, target.peers().listenPort(), "127.0.0.3",
                "council-test"));
        TestCluster.awaitTrue(() -> first.got(WireMessage.Kind.CLOCKS), WAIT, () -> "first identity not admitted");
        first.send(new WireMessage.Clocks(List.of(), true));
        TestCluster.awaitTrue(() -> first.got(WireMessage.Kind.EVENTS), WAIT, () -> "no history before any ban");
        FeedBuilder feed = new FeedBuilder(liar);
        for (int i = 0; i < 256; i++) {
            feed.next(FeedBuilder.capabilities("m" + i));
        }
        first.send(new WireMessage.EventBatch(liar.id(), feed.envelopes()));
        TestCluster.awaitTrue(() -> target.store().head(liar.id()).map(h -> h.seq() == 256).orElse(false), WAIT,
                () -> "the liar's feed did not arrive");
        List<byte[]> forks = new ArrayList<>();
        for (org.council.ledger.event.SignedEvent e : feed.events()) {
            forks.add(feed.sign(e.seq(), e.prev(), e.timestampMs(), FeedBuilder.capabilities("fork" + e.seq())).envelope());
        }
        WireMessage.EventBatch replay = new WireMessage.EventBatch(liar.id(), forks);
        for (int i = 0; i < 8 && !target.peers().isBanned(liar.id()); i++) {
            first.send(replay); // 1,024 unpaid checks are 4 batches; the fifth is over
            TestCluster.awaitTrue(() -> first.isClosed() || target.store().equivocations().size() == 1, WAIT,
                    () -> "forks not checked");
        }
        TestCluster.awaitTrue(() -> target.peers().isBanned(liar.id()), WAIT, () -> "fork replay not banned");

        BoundPeer next = TestCluster.await(new BoundPeer(NodeKeyPair.generate()).hello(vertx,
                target.peers().listenPort(), "127.0.0.3", "council-test"));
        TestCluster.awaitTrue(() -> next.got(WireMessage.Kind.CLOCKS), WAIT, () -> "next identity not admitted");
        next.send(new WireMessage.Clocks(List.of(), true));
        honestPeerReplicates(target); // 127.0.0.2, connected after it, is served
        assertThat(next.got(WireMessage.Kind.EVENTS)).as("history for an address on probation").isFalse();
        int banned = target.peers().misbehaviourCounts().get("FLOODING");
        next.send(replay); // relaying the proven liar's forks: 256 checks, over the address's spent budget
        TestCluster.awaitTrue(() -> target.peers().isBanned(next.keys.id()), WAIT,
                () -> "one batch over its address's spent budget was not a ban");
        assertThat(target.peers().misbehaviourCounts().get("FLOODING")).isEqualTo(banned + 1);
    }

    @Test
    void whenInboundSlotsAreFullANewcomerEvictsFromTheCrowdInsteadOfBeingRefused() {
        // 2 outbound slots, 8 inbound; the attacker fills all 8 from two addresses (4 each, the per-address cap)
        Node target = cluster.start("target", PeerConfig.localDefaults().withAdmission(STRICT).withConnections(10, 2));
        List<BoundPeer> sybils = new ArrayList<>();
        for (String from : List.of("127.0.0.1", "127.0.0.3")) {
            for (int i = 0; i < STRICT.maxInboundPerAddress(); i++) {
                BoundPeer p = TestCluster.await(new BoundPeer(NodeKeyPair.generate())
                        .hello(vertx, target.peers().listenPort(), from, "council-test"));
                TestCluster.awaitTrue(() -> p.got(WireMessage.Kind.CLOCKS), WAIT, () -> "sybil not admitted");
                sybils.add(p);
            }
        }
        assertThat(sybils).allMatch(p -> target.peers().connectedPeers().containsKey(p.keys.id()));
        honestPeerReplicates(target);
        TestCluster.awaitTrue(() -> sybils.stream().filter(BoundPeer::isClosed).count() == 1, WAIT,
                () -> "no sybil evicted");
        assertThat(target.peers().admissionCounts()).containsEntry("evicted", 1);
    }

    @Test
    void aWrongClaimedIdDoesNotMakeARealPeerUnreachable() {
        Node real = cluster.start("real", List.of());
        Node target = cluster.start("target", PeerConfig.localDefaults()); // loopback: learned addresses dialled
        RawPeer liar = TestCluster.await(new RawPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort()));
        liar.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", liar.keys.id(), 0, "liar"));
        TestCluster.awaitTrue(() -> liar.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks), WAIT,
                () -> "liar not admitted");
        NodeId wrong = NodeKeyPair.generate().id();
        liar.send(new WireMessage.PeerList(List.of(new WireMessage.PeerAddress(wrong, "127.0.0.1",
                real.peers().listenPort()))));
        TestCluster.awaitTrue(() -> target.peers().connectedPeers().containsKey(real.id()), WAIT,
                () -> "the real peer behind a lied-about id was not reached");
        assertThat(target.peers().misbehaviourCounts()).doesNotContainKey("WRONG_IDENTITY");
    }

    @Test
    void outboundPeersAreAnchorsAcrossARestart() throws Exception {
        Node seed = cluster.start("seed", List.of());
        Node a = cluster.start("a", List.of(seed.id().hex() + "@" + seed.address()));
        TestCluster.awaitTrue(() -> a.peers().connectedPeers().containsKey(seed.id()), WAIT, () -> "seed");
        Path anchors = a.config().files().anchorsFile();
        cluster.stop(a);
        assertThat(Files.readString(anchors)).contains(seed.id().hex() + "@");
        Node again = cluster.start("a", List.of()); // no seeds this time: only the anchor leads to the seed
        TestCluster.awaitTrue(() -> again.peers().connectedPeers().containsKey(seed.id()), WAIT, () -> "anchor not dialled");
        assertThat(anchors).as("read once, then deleted").doesNotExist();
    }
}
