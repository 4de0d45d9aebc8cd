package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.BridgeException;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.inference.RemoteInferenceException;
import org.council.node.inference.RemoteReply;
import org.council.node.routing.NetworkChat;
import org.council.node.wire.EmbeddingVectors;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malicious server answers a real requester's embedding jobs over TLS with forged claims and
 * vectors: inflated input tokens, completion tokens for an embedding, a foreign model, one vector
 * for two inputs, a dimension beyond the bound, text streamed for an embedding. None is
 * acknowledged and the requester pays nothing; the same peer's honest answer, last, is paid.
 */
class MaliciousEmbeddingServerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODEL = "evil-embed";
    private static final long ANNOUNCED = 300;
    private static final List<String> INPUTS = List.of("fair", "unfair");
    private static final byte[] TWO = EmbeddingVectors.encode(List.of(new double[] {1, 0}, new double[] {0, 1})).bytes();

    @TempDir
    Path dir;
    private final List<SignedEvent> claims = new ArrayList<>();

    /** What the server answers: its claim's numbers and the vectors it sends. */
    private record Answer(String model, int input, int completion, byte[] vectors, int dims, boolean streamsText) {
    }

    @Test
    void forgedEmbeddingAnswersAreNeverPaid() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node requester = cluster.start("requester", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair evilKeys = NodeKeyPair.generate();
                FeedBuilder evilFeed = new FeedBuilder(evilKeys);
                SignedEvent caps = evilFeed.next(new EventBody.CapabilitiesAnnounced(List.of(new EventBody.ModelOffer(
                        MODEL, ANNOUNCED, "F16", 512, List.of("embedding"))), "", 1, ""));
                assertThat(requester.store().ingest(List.of(caps.envelope())).join()).allMatch(IngestOutcome::accepted);
                RawPeer evil = connect(vertx, requester, evilKeys);

                List<Answer> attacks = List.of(
                        new Answer(MODEL, Integer.MAX_VALUE, 0, TWO, 2, false),       // inflated input tokens
                        new Answer(MODEL, 2, 500, TWO, 2, false),                     // completion tokens for nothing
                        new Answer("llama-405b", 2, 0, TWO, 2, false),                // a foreign model
                        new Answer(MODEL, 2, 0, new byte[8], 2, false),               // one vector for two inputs
                        new Answer(MODEL, 2, 0, new byte[8], -1, false),              // a dimension beyond the bound
                        new Answer(MODEL, 2, 0, TWO, 2, true));                       // text for an embedding job
                List<String> expected = List.of("prompt tokens", "completion tokens", "model llama-405b",
                        "the vectors are not", "the vectors are not", "streamed");
                for (int i = 0; i < attacks.size(); i++) {
                    String refusal = serveOnce(requester, evil, evilFeed, attacks.get(i));
                    assertThat(refusal).as("attack %d", i).contains(expected.get(i));
                }
                // even with every forged claim in its ledger, the requester paid nothing
                assertThat(requester.store().ingest(claims.stream().map(SignedEvent::envelope).toList()).join())
                        .allMatch(IngestOutcome::accepted);
                assertThat(requester.store().account(requester.id()).spentMilli()).isZero();
                assertThat(requester.store().account(evilKeys.id()).earnedMilli()).isZero();

                // control: the same peer's honest answer is acknowledged and settles
                RemoteReply honest = TestCluster.await(start(requester, evil, evilFeed, new Answer(MODEL, 2, 0, TWO, 2,
                        false)));
                assertThat(honest.acknowledged()).as(honest.refusal()).isTrue();
                assertThat(honest.embeddings()).hasSize(2);
                assertThat(honest.embeddings().get(1)).containsExactly(0, 1);
                requester.store().ingest(List.of(honest.proposal().envelope())).join();
                long paid = Credits.embeddingMilli(ANNOUNCED, 2);
                TestCluster.awaitTrue(() -> requester.store().account(requester.id()).spentMilli() == paid, WAIT,
                        () -> "the honest claim did not settle");
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    /** The refusal the requester gives the forged answer (in the reply, or in the failure when text was streamed). */
    private String serveOnce(Node requester, RawPeer evil, FeedBuilder feed, Answer a) {
        Throwable failed = start(requester, evil, feed, a).toCompletionStage().toCompletableFuture()
                .handle((reply, e) -> {
                    assertThat(e == null ? !reply.acknowledged() : e instanceof RemoteInferenceException).isTrue();
                    return e == null ? new AssertionError(reply.refusal()) : e;
                }).join();
        return failed.getMessage();
    }

    /**
     * A user's embedding request routed to the only peer serving the model, through the same
     * {@link NetworkChat} as the node's API: a forged answer fails the request; it never completes
     * with fewer vectors than inputs (a refused claim carries none).
     */
    @Test
    void aForgedAnswerFailsTheUsersRequestInsteadOfDroppingItsVectors() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node requester = cluster.start("requester", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair evilKeys = NodeKeyPair.generate();
                FeedBuilder evilFeed = new FeedBuilder(evilKeys);
                SignedEvent caps = evilFeed.next(new EventBody.CapabilitiesAnnounced(List.of(new EventBody.ModelOffer(
                        MODEL, ANNOUNCED, "F16", 512, List.of("embedding"))), "", 1, ""));
                assertThat(requester.store().ingest(List.of(caps.envelope())).join()).allMatch(IngestOutcome::accepted);
                RawPeer evil = connect(vertx, requester, evilKeys);
                TestCluster.awaitTrue(() -> requester.capabilities().of(evilKeys.id()) != null, WAIT,
                        () -> "the evil offer is not in the directory");
                NetworkChat chat = new NetworkChat(requester.bridge(), requester.catalog(), requester.capabilities(),
                        requester.peers(), requester.karma(), requester.inference().client(), requester.council());

                int before = requests(evil).size();
                var result = chat.submit(InferenceRequest.embed(RequesterId.LOCAL, MODEL, INPUTS, Map.of()),
                        TokenSink.NONE).result();
                answer(evil, evilFeed, before, new Answer(MODEL, Integer.MAX_VALUE, 0, TWO, 2, false));

                Throwable failed = result.toCompletionStage().toCompletableFuture().handle((r, e) -> e).join();
                assertThat(failed).as("the request completed with %s", result.result() == null ? null
                        : result.result().embeddings().size() + " vectors for " + INPUTS.size() + " inputs")
                        .isInstanceOf(BridgeException.class)
                        .hasMessageContaining("0 vectors for 2 inputs").hasMessageContaining("prompt tokens");
                assertThat(requester.store().account(requester.id()).spentMilli()).isZero();
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    private io.vertx.core.Future<RemoteReply> start(Node requester, RawPeer evil, FeedBuilder feed, Answer a) {
        int before = requests(evil).size();
        var reply = requester.inference().client().startEmbedding(evil.keys.id(), MODEL, INPUTS, "", "embed", WAIT)
                .reply();
        answer(evil, feed, before, a);
        return reply;
    }

    /** Waits for the request after the first {@code before} and answers it as {@code a} says. */
    private void answer(RawPeer evil, FeedBuilder feed, int before, Answer a) {
        TestCluster.awaitTrue(() -> requests(evil).size() > before, WAIT, () -> "no request: " + evil.received);
        RemoteRequest r = RemoteRequest.verify(requests(evil).get(before), new SignatureVerifier());
        assertThat(r.kind()).isEqualTo(RemoteRequest.Kind.EMBED);
        if (a.streamsText()) {
            evil.send(new WireMessage.InferenceTokens(r.jobId().bytes(), "free text"));
        }
        SignedEvent claim = feed.next(new EventBody.ServiceProposed(r.jobId(), r.requester(), a.model(), ANNOUNCED,
                a.input(), a.completion(), 0, 10, Sha256.hash(r.requestBytes()), Sha256.hash(a.vectors()),
                Credits.milli(ANNOUNCED, a.input(), a.completion()), "embed"));
        claims.add(claim);
        evil.send(new WireMessage.InferenceDone(r.jobId().bytes(), "stop", claim.envelope(), "", a.vectors(), a.dims()));
    }

    private static List<WireMessage.InferenceRequest> requests(RawPeer p) {
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceRequest)
                .map(m -> (WireMessage.InferenceRequest) m).toList();
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
