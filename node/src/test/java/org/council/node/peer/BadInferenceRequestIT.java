package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.JobId;
import org.council.ledger.store.LedgerConfig;
import org.council.node.ApiConfig;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference requests whose signature does not verify cost the serving node a check on the shared
 * peer context and their sender nothing, and so do replays of requests signed by another key: past
 * the session's budget they are misbehaviour (a ban), while the peer's own requests that verify and
 * are refused at admission are not counted.
 */
class BadInferenceRequestIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BUDGET = 16;

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

    /** A node whose budget does not refill during the test, so the bound is an exact count of frames. */
    private Node target() {
        PeerConfig peers = PeerConfig.localDefaults().withLimits(SessionLimits.defaults().withBadRequests(BUDGET, 0));
        return cluster.add(Node.start(new NodeConfig(dir.resolve("target"), peers, LedgerConfig.defaults(),
                InferenceConfig.simulatedOnly(), ApiConfig.local())));
    }

    private FloodPeer attacker(Node target) {
        FloodPeer p = TestCluster.await(new FloodPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort()));
        p.ready(WAIT);
        TestCluster.awaitTrue(() -> target.peers().connectedPeers().containsKey(p.keys.id()), WAIT, () -> "no session");
        return p;
    }

    private static WireMessage.InferenceRequest request(NodeKeyPair keys, Node server, String model, boolean forge) {
        WireMessage.InferenceRequest r = RemoteRequest.sign(keys, server.id(), JobId.random(), System.currentTimeMillis(),
                model, List.of(new ChatMessage("user", "hi")), 8, "").toWire();
        if (!forge) {
            return r;
        }
        byte[] sig = r.signature().clone();
        sig[0] ^= 1;
        return new WireMessage.InferenceRequest(r.request(), sig);
    }

    private static long refusals(FloodPeer p) {
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceError).count();
    }

    @Test
    void badSignaturesPastTheBudgetEndInABan() throws Exception {
        Node node = target();
        FloodPeer p = attacker(node);
        WireMessage.InferenceRequest forged = request(p.keys, node, "llama3.1:8b", true);
        long frames = p.flood(i -> forged, 1_000, 1, () -> !node.peers().isBanned(p.keys.id()));

        TestCluster.awaitTrue(() -> node.peers().isBanned(p.keys.id()), WAIT, () -> "bad signatures not banned: sent "
                + frames + ", " + node.peers().misbehaviourCounts());
        assertThat(node.peers().misbehaviourCounts().getOrDefault("FLOODING", 0)).isEqualTo(1);
        // the budget's requests plus the one that crossed it were answered; none after the ban
        assertThat(refusals(p)).as("requests verified and refused").isLessThanOrEqualTo(BUDGET + 1);
        TestCluster.awaitTrue(() -> !node.peers().connectedPeers().containsKey(p.keys.id()), WAIT, () -> "session left");
    }

    @Test
    void replayingRequestsSignedByAnotherKeyEndsInABan() throws Exception {
        Node node = target();
        FloodPeer p = attacker(node);
        WireMessage.InferenceRequest someoneElses = request(NodeKeyPair.generate(), node, "llama3.1:8b", false);
        long frames = p.flood(i -> someoneElses, 1_000, 1, () -> !node.peers().isBanned(p.keys.id()));

        TestCluster.awaitTrue(() -> node.peers().isBanned(p.keys.id()), WAIT, () -> "replayed requests not banned: sent "
                + frames + ", " + node.peers().misbehaviourCounts());
        assertThat(refusals(p)).as("requests verified and refused").isLessThanOrEqualTo(BUDGET + 1);
    }

    @Test
    void requestsThatVerifyAndAreRefusedAtAdmissionAreNotCounted() throws Exception {
        Node node = target();
        FloodPeer p = attacker(node);
        for (int i = 0; i < 4 * BUDGET; i++) {
            p.send(request(p.keys, node, "no-such-model", false));
        }
        // admission may answer after the session moved on: wait for every answer, not for a pong
        TestCluster.awaitTrue(() -> refusals(p) == 4L * BUDGET || p.isClosed(), WAIT,
                () -> "answers: " + refusals(p));
        assertThat(node.peers().isBanned(p.keys.id())).isFalse();
        assertThat(p.isClosed()).isFalse();
    }
}
