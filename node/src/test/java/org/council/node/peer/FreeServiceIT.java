package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.council.bridge.ChatMessage;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.Hex;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.inference.RemoteCall;
import org.council.node.inference.RemoteInferenceException;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No free service: a request that could not yield a receipt is refused before anything runs; a job
 * cut short after tokens were delivered (cancelled, disconnected) still yields a claim for what was
 * delivered, and a real requester that cancels pays it; a job without max_tokens stops at the
 * default cap.
 */
class FreeServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODEL = "simulated-llama-3b";

    @TempDir
    Path dir;

    @Test
    void requestsThatCouldNotYieldAReceiptAreRefusedBeforeAnythingRuns() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = ready(vertx, server, me);
                p.send(request(me, server, 8, "s".repeat(300)).toWire());
                assertThat(awaitError(p, 1).detail()).contains("stage");
                p.send(request(me, server, -1, "chat").toWire());
                assertThat(awaitError(p, 2).detail()).contains("max_tokens");
                assertThat(p.received).noneMatch(m -> m instanceof WireMessage.InferenceTokens);
                assertThat(server.store().unpaid(server.id())).isEmpty();
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    @Test
    void aTinyJobStoppedAfterItsFirstTokenIsNotClaimed() {
        // 2 tokens a second: the cancel has 7 s to arrive before the 16th token, however slow the machine
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = server(cluster, SimulatedConfig.defaults().withRate(2, Duration.ofMillis(5)));
            Vertx vertx = Vertx.vertx();
            try {
                // a tiny job stopped after its first token is not worth an event: no claim
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = ready(vertx, server, me);
                RemoteRequest tiny = request(me, server, 0, "chat");
                p.send(tiny.toWire());
                TestCluster.awaitTrue(() -> chunks(p) > 0, WAIT, () -> "no token: " + p.received);
                p.send(new WireMessage.InferenceCancel(tiny.jobId().bytes()));
                TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.InferenceError e
                        && e.code().equals("CANCELLED")), WAIT, () -> "not cancelled: " + p.received);
                assertThat(done(p)).isNull();
                assertThat(chunks(p)).as("the cancel came before the 16th token").isLessThan(16);
                assertThat(server.store().unpaid(server.id())).isEmpty();
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    @Test
    void aJobCutShortAfterTokensStillYieldsAClaimForWhatWasDelivered() {
        // 1,000 tokens at 25 a second: the jobs cannot end on their own before the test stops them
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = server(cluster, SimulatedConfig.defaults().withCompletionTokens(1_000));
            Vertx vertx = Vertx.vertx();
            Vertx dropped = Vertx.vertx();
            try {
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = ready(vertx, server, me);
                // cancelled after 16 tokens: the server claims what it sent until it saw the cancel
                RemoteRequest r = request(me, server, 0, "chat");
                p.send(r.toWire());
                TestCluster.awaitTrue(() -> chunks(p) >= 16, WAIT, () -> "too few tokens: " + p.received);
                p.send(new WireMessage.InferenceCancel(r.jobId().bytes()));
                TestCluster.awaitTrue(() -> done(p) != null, WAIT, () -> "no partial claim: " + p.received);
                assertThat(done(p).doneReason()).startsWith("partial:");
                EventBody.ServiceProposed claim = (EventBody.ServiceProposed)
                        ((DecodeResult.Decoded) EventCodec.decode(done(p).proposal())).event().body();
                // the claim is for exactly the tokens delivered, however many shared a frame (TokenStream)
                assertThat((long) claim.completionTokens()).isEqualTo(chunks(p));
                assertThat(Hex.encode(claim.responseHash()))
                        .isEqualTo(Hex.encode(Sha256.hash(tokens(p).getBytes(StandardCharsets.UTF_8))));
                assertThat(claim.creditsMilli()).isPositive()
                        .isEqualTo(Credits.milli(claim.parametersMillions(), claim.promptTokens(), claim.completionTokens()));

                // disconnected after the first token: the claim is in the server's ledger, unpaid
                NodeKeyPair gone = NodeKeyPair.generate();
                RawPeer q = ready(dropped, server, gone);
                q.send(request(gone, server, 0, "chat").toWire());
                TestCluster.awaitTrue(() -> chunks(q) >= 16, WAIT, () -> "too few tokens: " + q.received);
                TestCluster.await(dropped.close());
                TestCluster.awaitTrue(() -> server.store().unpaid(server.id()).stream()
                        .anyMatch(u -> u.requester().equals(gone.id())), WAIT, () -> "no claim for the dropped job");
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    @Test
    void aRequesterThatCancelsPaysForWhatItReceived() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Node requester = cluster.start("requester", List.of(server.id().hex() + "@" + server.address()));
            TestCluster.awaitTrue(() -> requester.peers().link(server.id()).isPresent(), WAIT, () -> "not connected");
            AtomicReference<RemoteCall> call = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
            call.set(requester.inference().client().start(server.id(), MODEL, List.of(ChatMessage.user("Tell me more")),
                    0, "chat", WAIT, token -> {
                        RemoteCall c = call.get();
                        if (c != null && received.incrementAndGet() >= 16) {
                            c.cancel().run();
                        }
                    }));
            Throwable failure = call.get().reply().toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
            assertThat(failure).isInstanceOf(RemoteInferenceException.class);
            assertThat(((RemoteInferenceException) failure).code()).isEqualTo(InferenceErrorCode.CANCELLED);
            TestCluster.awaitTrue(() -> server.store().account(server.id()).earnedMilli() > 0
                    && server.store().account(requester.id()).spentMilli() > 0, WAIT,
                    () -> "the cancelled job was not paid: " + server.store().account(server.id()));
            assertThat(server.store().unpaid(server.id())).isEmpty();
        }
    }

    @Test
    void aJobWithoutMaxTokensStopsAtTheDefaultCap() {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of("long")).withRate(5_000, Duration.ofMillis(1))
                .withCompletionTokens(6_000);
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.add(Node.start(NodeConfig.local(dir.resolve("server"))
                    .withPeers(PeerConfig.localDefaults())
                    .withInference(InferenceConfig.simulatedOnly().withSimulated(sim))));
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = ready(vertx, server, me);
                p.send(RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis(), "simulated-long",
                        List.of(ChatMessage.user("go on")), 0, "chat").toWire());
                TestCluster.awaitTrue(() -> done(p) != null || p.isClosed(), WAIT, () -> "no result");
                EventBody.ServiceProposed claim = (EventBody.ServiceProposed)
                        ((DecodeResult.Decoded) EventCodec.decode(done(p).proposal())).event().body();
                assertThat(done(p).doneReason()).isEqualTo("length");
                assertThat(claim.completionTokens()).isEqualTo(4096);
                assertThat(chunks(p)).as("tokens delivered").isEqualTo(4096);
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    private Node server(TestCluster cluster, SimulatedConfig sim) {
        return cluster.add(Node.start(NodeConfig.local(dir.resolve("server")).withPeers(PeerConfig.localDefaults())
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim))));
    }

    private static RemoteRequest request(NodeKeyPair me, Node server, int maxTokens, String stage) {
        return RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis(), MODEL,
                List.of(ChatMessage.user("hello there, tell me a long story")), maxTokens, stage);
    }

    private static RawPeer ready(Vertx vertx, Node server, NodeKeyPair me) {
        RawPeer p = TestCluster.await(new RawPeer(me).connect(vertx, server.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", me.id(), 0, "test"));
        TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks) || p.isClosed(),
                WAIT, () -> "no clocks");
        p.send(new WireMessage.Clocks(List.of(), true));
        return p;
    }

    private static String tokens(RawPeer p) {
        StringBuilder sb = new StringBuilder();
        p.received.stream().filter(m -> m instanceof WireMessage.InferenceTokens)
                .forEach(m -> sb.append(((WireMessage.InferenceTokens) m).text()));
        return sb.toString();
    }

    /** Tokens received: a frame carries one, or several that reached the peer loop together (TokenStream). */
    private static long chunks(RawPeer p) {
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceTokens)
                .mapToLong(m -> ((WireMessage.InferenceTokens) m).tokens().size()).sum();
    }

    private static WireMessage.InferenceDone done(RawPeer p) {
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceDone)
                .map(m -> (WireMessage.InferenceDone) m).findFirst().orElse(null);
    }

    private static WireMessage.InferenceError awaitError(RawPeer p, int count) {
        TestCluster.awaitTrue(() -> p.received.stream().filter(m -> m instanceof WireMessage.InferenceError e
                && e.code().equals("REFUSED")).count() >= count, WAIT, () -> "no REFUSED: " + p.received);
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceError)
                .map(m -> (WireMessage.InferenceError) m).reduce((a, b) -> b).orElseThrow();
    }
}
