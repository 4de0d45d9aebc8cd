package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that completes the TLS handshake and hello, then misbehaves: each kind of misbehaviour
 * gets it disconnected (and banned), stores nothing bad, and the node keeps serving an honest peer.
 */
class HostilePeerIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private TestCluster cluster;
    private Node node;
    private Node honest;
    private Vertx vertx;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir);
        node = cluster.start("target", List.of());
        honest = cluster.start("honest", List.of(node.id().hex() + "@" + node.address()));
        vertx = Vertx.vertx();
        TestCluster.awaitTrue(() -> node.peers().connectedPeers().containsKey(honest.id()), WAIT, () -> "honest peer");
        cluster.awaitConverged(WAIT); // both capability announcements have crossed: counts are stable
    }

    @AfterEach
    void stop() {
        TestCluster.await(vertx.close());
        cluster.close();
    }

    /** Connects, says hello, and waits for the node's hello and clocks. */
    private RawPeer handshake(NodeKeyPair keys, String network) {
        RawPeer p = TestCluster.await(new RawPeer(keys).connect(vertx, node.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, network, keys.id(), 0, "hostile"));
        TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks)
                || p.isClosed(), WAIT, () -> "no clocks from node");
        return p;
    }

    private RawPeer ready(NodeKeyPair keys) {
        RawPeer p = handshake(keys, "council-test");
        p.send(new WireMessage.Clocks(List.of(), true));
        return p;
    }

    private void assertDisconnectedAndNodeStillServes(RawPeer p, WireMessage.Reason reason, long eventsBefore) {
        TestCluster.awaitTrue(p::isClosed, WAIT, () -> "hostile peer was not disconnected");
        assertThat(p.goodbye()).as("goodbye").isNotNull();
        assertThat(p.goodbye().reason()).isEqualTo(reason);
        assertThat(node.store().eventCount()).as("nothing stored").isEqualTo(eventsBefore);
        assertThat(node.peers().isBanned(p.keys.id()) || reason == WireMessage.Reason.WRONG_NETWORK).isTrue();
        // still serving the honest peer
        SignedEvent e = honest.store().append(FeedBuilder.capabilities("after-" + reason)).join();
        TestCluster.awaitTrue(() -> node.store().event(e.id()).isPresent(), WAIT, () -> "honest peer no longer served");
    }

    private void misbehave(Consumer<RawPeer> act, WireMessage.Reason expected) {
        long before = node.store().eventCount();
        RawPeer p = ready(NodeKeyPair.generate());
        act.accept(p);
        assertDisconnectedAndNodeStillServes(p, expected, before);
    }

    private static List<byte[]> feed(NodeKeyPair keys, int n) {
        FeedBuilder f = new FeedBuilder(keys);
        for (int i = 0; i < n; i++) {
            f.next(FeedBuilder.capabilities("m" + i));
        }
        return f.envelopes();
    }

    @Test
    void forgedSignature() {
        misbehave(p -> {
            List<byte[]> events = feed(p.keys, 3);
            byte[] forged = events.get(0).clone();
            forged[forged.length - 1] ^= 1;
            p.send(new WireMessage.EventBatch(p.keys.id(), List.of(forged)));
        }, WireMessage.Reason.INVALID_EVENT);
    }

    @Test
    void mutatedPayload() {
        misbehave(p -> {
            byte[] e = feed(p.keys, 1).get(0).clone();
            e[10] ^= 0x20; // inside the author key of the payload: the signature no longer matches
            p.send(new WireMessage.EventBatch(p.keys.id(), List.of(e)));
        }, WireMessage.Reason.INVALID_EVENT);
    }

    @Test
    void seqGap() {
        misbehave(p -> {
            List<byte[]> events = feed(p.keys, 3);
            p.send(new WireMessage.EventBatch(p.keys.id(), List.of(events.get(1), events.get(2))));
        }, WireMessage.Reason.PROTOCOL_VIOLATION);
    }

    @Test
    void frameOverTheLimit() {
        misbehave(p -> p.sendRaw(Buffer.buffer().appendInt(FrameCodec.MAX_FRAME_BYTES + 1).appendBytes(new byte[64])),
                WireMessage.Reason.PROTOCOL_VIOLATION);
    }

    @Test
    void garbageBytes() {
        byte[] junk = new byte[32];
        Arrays.fill(junk, (byte) 0xff);
        misbehave(p -> p.sendRaw(Buffer.buffer().appendInt(junk.length).appendBytes(junk)),
                WireMessage.Reason.PROTOCOL_VIOLATION);
    }

    @Test
    void floodOfValidButUnrequestedData() {
        // events the node already has, over and over
        List<byte[]> known = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            known.add(honest.store().append(FeedBuilder.capabilities("h" + i)).join().envelope());
        }
        // the honest node's whole feed, including its own announcements, not just these 200 events
        TestCluster.awaitTrue(() -> node.store().head(honest.id()).equals(honest.store().head(honest.id()))
                        && node.store().head(honest.id()).map(h -> h.seq() >= 200).orElse(false), WAIT,
                () -> "honest events did not arrive");
        long before = node.store().eventCount();
        RawPeer p = ready(NodeKeyPair.generate());
        for (int round = 0; round < 100 && !p.isClosed(); round++) {
            p.send(new WireMessage.EventBatch(honest.id(), known));
        }
        TestCluster.awaitTrue(p::isClosed, WAIT, () -> "flooding peer was not disconnected");
        assertThat(p.goodbye().reason()).isEqualTo(WireMessage.Reason.FLOODING);
        assertThat(node.peers().isBanned(p.keys.id())).isTrue();
        assertThat(node.store().eventCount()).isEqualTo(before);
    }

    @Test
    void helloNamingAnotherKeyThanTheTlsKeyIsRefused() {
        NodeKeyPair real = NodeKeyPair.generate();
        RawPeer p = TestCluster.await(new RawPeer(real).connect(vertx, node.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", honest.id(), 0, "liar"));
        TestCluster.awaitTrue(p::isClosed, WAIT, () -> "impostor not disconnected");
        assertThat(p.goodbye().reason()).isEqualTo(WireMessage.Reason.WRONG_IDENTITY);
        assertThat(node.peers().connectedPeers()).containsKey(honest.id());
    }

    @Test
    void aSeedThatProvesAnotherKeyIsRefused() {
        // the node expects honest's id at target's address: the key proven there is target's
        Node dialer = cluster.start("dialer", List.of(honest.id().hex() + "@" + node.address()));
        TestCluster.awaitTrue(() -> dialer.peers().misbehaviourCounts().containsKey("WRONG_IDENTITY"), WAIT,
                () -> "the dialer did not refuse the wrong key");
        assertThat(dialer.peers().connectedPeers()).isEmpty();
        assertThat(node.peers().connectedPeers()).doesNotContainKey(dialer.id());
    }

    @Test
    void anotherNetworkIsRefused() {
        long before = node.store().eventCount();
        RawPeer p = handshake(NodeKeyPair.generate(), "council-main");
        TestCluster.awaitTrue(p::isClosed, WAIT, () -> "other network not disconnected");
        assertThat(p.goodbye().reason()).isEqualTo(WireMessage.Reason.WRONG_NETWORK);
        assertThat(node.store().eventCount()).isEqualTo(before);
    }

    @Test
    void eventsBeforeHelloAreAProtocolViolation() {
        NodeKeyPair keys = NodeKeyPair.generate();
        RawPeer p = TestCluster.await(new RawPeer(keys).connect(vertx, node.peers().listenPort()));
        p.send(new WireMessage.EventBatch(keys.id(), feed(keys, 1)));
        TestCluster.awaitTrue(p::isClosed, WAIT, () -> "not disconnected");
        assertThat(p.goodbye().reason()).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
        assertThat(node.store().head(keys.id())).isEmpty();
    }
}
