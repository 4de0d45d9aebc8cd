package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.JobId;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteFeatures;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of remote features under attack: a server streaming thinking past the job's bound
 * is stopped and not paid; a requester signing malformed features is refused before anything is
 * scheduled.
 */
class RemoteFeatureAttackIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aServerFloodingThinkingIsCancelledAndNotPaid() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node requester = cluster.start("requester", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair evilKeys = NodeKeyPair.generate();
                RawPeer evil = connect(vertx, requester, evilKeys);
                var reply = requester.inference().client().start(evilKeys.id(), "evil-3b",
                        List.of(ChatMessage.user("Think")), 4, "chat", new RemoteFeatures("", "", "true", ""), WAIT,
                        TokenSink.NONE).reply();
                TestCluster.awaitTrue(() -> evil.received.stream().anyMatch(m -> m instanceof WireMessage.InferenceRequest),
                        WAIT, () -> "no request");
                WireMessage.InferenceRequest wire = evil.received.stream()
                        .filter(m -> m instanceof WireMessage.InferenceRequest)
                        .map(m -> (WireMessage.InferenceRequest) m).findFirst().orElseThrow();
                RemoteRequest r = RemoteRequest.verify(wire, new SignatureVerifier());
                assertThat(r.features().think()).isEqualTo("true");
                String piece = "x".repeat(512);
                for (int i = 0; i < 8; i++) { // 4 KiB of thinking for a job capped at 4 tokens (1 KiB)
                    evil.send(new WireMessage.InferenceTokens(r.jobId().bytes(), "", piece));
                }
                TestCluster.awaitTrue(() -> evil.received.stream().anyMatch(m -> m instanceof WireMessage.InferenceCancel),
                        WAIT, () -> "the requester kept reading");
                Throwable failure = reply.toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
                assertThat(failure).hasMessageContaining("more thinking than was asked for");
                assertThat(requester.store().account(requester.id()).spentMilli()).isZero();
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    @Test
    void malformedFeaturesAreRefusedBeforeScheduling() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = connect(vertx, server, me);
                for (RemoteFeatures bad : List.of(new RemoteFeatures("[1]", "", "", ""),
                        new RemoteFeatures("", "\"yaml\"", "", ""), new RemoteFeatures("", "", "maybe", ""),
                        new RemoteFeatures("", "", "", "{\"not\":\"an array\"}"))) {
                    p.send(RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis(),
                            "simulated-llama-3b", List.of(ChatMessage.user("hi")), 8, "chat", bad).toWire());
                }
                TestCluster.awaitTrue(() -> p.received.stream().filter(m -> m instanceof WireMessage.InferenceError e
                        && e.errorCode() == InferenceErrorCode.REFUSED).count() == 4, WAIT, () -> "not refused: "
                        + p.received);
                assertThat(p.received).noneMatch(m -> m instanceof WireMessage.InferenceTokens);
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    private static RawPeer connect(Vertx vertx, Node node, NodeKeyPair keys) {
        RawPeer p = TestCluster.await(new RawPeer(keys).connect(vertx, node.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", keys.id(), 0, "test"));
        TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks) || p.isClosed(),
                WAIT, () -> "no clocks");
        p.send(new WireMessage.Clocks(List.of(), true));
        TestCluster.awaitTrue(() -> node.peers().link(keys.id()).isPresent(), WAIT, () -> "no session");
        return p;
    }
}
