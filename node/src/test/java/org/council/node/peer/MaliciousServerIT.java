package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.inference.RemoteReply;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malicious server — a peer under the test's control that signs its own claims through the real
 * codec — serves a real requester and inflates its claim: a parameter count beyond what it
 * announced, prompt tokens beyond the signed request, completion tokens beyond the text, a model
 * other than the one asked for, {@code Long.MAX_VALUE} credits, a {@code Long.MAX_VALUE} model size.
 * None is acknowledged, the requester's balance does not move, and each reason is in the API. An
 * honest claim from the same peer, last, is acknowledged: the refusals are the claims', not the
 * harness's.
 */
class MaliciousServerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODEL = "evil-3b";
    private static final long ANNOUNCED = 3_000;

    @TempDir
    Path dir;

    /** What the malicious server puts in its claim, from the real request and the text it streamed. */
    private interface Forge {
        EventBody.ServiceProposed claim(RemoteRequest r, String text);
    }

    private static EventBody.ServiceProposed proposal(RemoteRequest r, String text, String model, long params,
                                                      int prompt, int completion, long credits) {
        return new EventBody.ServiceProposed(r.jobId(), r.requester(), model, params, prompt, completion, 0, 10,
                Sha256.hash(r.requestBytes()), Sha256.hash(text.getBytes(StandardCharsets.UTF_8)), credits, "chat");
    }

    private static EventBody.ServiceProposed priced(RemoteRequest r, String text, String model, long params, int prompt,
                                                    int completion) {
        return proposal(r, text, model, params, prompt, completion, Credits.milli(params, prompt, completion));
    }

    @Test
    void inflatedClaimsAreNeverAcknowledgedAndTheReasonIsVisible() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node requester = cluster.start("requester", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair evilKeys = NodeKeyPair.generate();
                FeedBuilder evilFeed = new FeedBuilder(evilKeys);
                // the server announced MODEL at 3B; the requester holds that announcement
                SignedEvent caps = evilFeed.next(new EventBody.CapabilitiesAnnounced(
                        List.of(new EventBody.ModelOffer(MODEL, ANNOUNCED, "Q4_0", 4096)), "", 1, ""));
                assertThat(requester.store().ingest(List.of(caps.envelope())).join()).allMatch(IngestOutcome::accepted);
                TestCluster.awaitTrue(() -> requester.capabilities().of(evilKeys.id()) != null, WAIT, () -> "no caps");
                RawPeer evil = connect(vertx, requester, evilKeys);

                List<String> reasons = new ArrayList<>();
                List<Forge> attacks = List.of(
                        (r, t) -> priced(r, t, MODEL, 70_000, 10, 3),                       // inflated model size
                        (r, t) -> priced(r, t, MODEL, ANNOUNCED, Integer.MAX_VALUE, 3),     // inflated prompt
                        (r, t) -> priced(r, t, MODEL, ANNOUNCED, 10, 100_000),              // inflated completion
                        (r, t) -> priced(r, t, "llama-405b", ANNOUNCED, 10, 3),             // a foreign model
                        (r, t) -> proposal(r, t, MODEL, ANNOUNCED, 10, 3, Long.MAX_VALUE),  // Long.MAX_VALUE credits
                        (r, t) -> priced(r, t, MODEL, Long.MAX_VALUE, 0, 3));              // Long.MAX_VALUE model size
                List<SignedEvent> claims = new ArrayList<>();
                for (Forge attack : attacks) {
                    RemoteReply reply = serveOnce(requester, evil, evilFeed, attack, claims);
                    assertThat(reply.acknowledged()).as("acknowledged %s", reply.proposal().body()).isFalse();
                    reasons.add(reply.refusal());
                }
                assertThat(reasons.get(0)).contains("parameter count 70000");
                assertThat(reasons.get(1)).contains("prompt tokens");
                assertThat(reasons.get(2)).contains("completion tokens");
                assertThat(reasons.get(3)).contains("model llama-405b");
                assertThat(reasons.get(4)).contains("do not follow the formula");
                assertThat(reasons.get(5)).contains("beyond any priced model");

                // even with every claim in its ledger, the requester paid nothing
                assertThat(requester.store().ingest(claims.stream().map(SignedEvent::envelope).toList()).join())
                        .allMatch(IngestOutcome::accepted);
                assertThat(requester.store().account(requester.id()).spentMilli()).isZero();
                assertThat(requester.store().account(requester.id()).balanceMilli()).isZero();
                assertThat(requester.store().account(evilKeys.id()).earnedMilli()).isZero();
                assertThat(((RocksLedgerStore) requester.store()).projectionsMatchReplay()).isTrue();

                // the API shows each refusal with its reason, newest first
                JsonNode refused = get(requester.apiUrl() + "/claims/refused").get("refused");
                assertThat(refused).hasSize(attacks.size());
                for (int i = 0; i < attacks.size(); i++) {
                    JsonNode entry = refused.get(attacks.size() - 1 - i);
                    assertThat(entry.get("server").asText()).isEqualTo(evilKeys.id().hex());
                    assertThat(entry.get("reason").asText()).isEqualTo(reasons.get(i));
                    assertThat(entry.get("model").asText()).isEqualTo(MODEL);
                }
                assertThat(refused.get(attacks.size() - 1 - 4).get("claimed_credits_milli").asLong())
                        .isEqualTo(Long.MAX_VALUE);

                // control: the same peer's honest claim is acknowledged
                RemoteReply honest = serveOnce(requester, evil, evilFeed,
                        (r, t) -> priced(r, t, MODEL, ANNOUNCED, 10, 3), claims);
                assertThat(honest.acknowledged()).as(honest.refusal()).isTrue();
                long paid = ((EventBody.ServiceProposed) honest.proposal().body()).creditsMilli();
                requester.store().ingest(List.of(honest.proposal().envelope())).join();
                TestCluster.awaitTrue(() -> requester.store().account(requester.id()).spentMilli() == paid, WAIT,
                        () -> "the honest claim did not settle");
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    @Test
    void aStreamPastMaxTokensIsCancelledAndItsClaimRefused() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node requester = cluster.start("requester", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair evilKeys = NodeKeyPair.generate();
                FeedBuilder evilFeed = new FeedBuilder(evilKeys);
                RawPeer evil = connect(vertx, requester, evilKeys);
                var reply = requester.inference().client().infer(evilKeys.id(), MODEL,
                        List.of(ChatMessage.user("One word?")), 4, "chat", WAIT, TokenSink.NONE);
                TestCluster.awaitTrue(() -> !requests(evil).isEmpty(), WAIT, () -> "no request");
                RemoteRequest r = RemoteRequest.verify(requests(evil).get(0), new SignatureVerifier());
                // 200 tokens of 5 bytes in one frame: within the byte bound (4 tokens' worth), past the token count
                List<String> tokens = java.util.Collections.nCopies(200, " word");
                evil.send(new WireMessage.InferenceTokens(r.jobId().bytes(), tokens, ""));
                String text = String.join("", tokens);
                TestCluster.awaitTrue(() -> evil.received.stream().anyMatch(m -> m instanceof WireMessage.InferenceCancel),
                        WAIT, () -> "the requester kept reading");
                Throwable failure = reply.toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
                assertThat(failure).hasMessageContaining("more than was asked for");
                // the server claims for everything it streamed: not paid
                SignedEvent claim = evilFeed.next(priced(r, text, MODEL, 0, 10, 4));
                evil.send(new WireMessage.InferenceDone(r.jobId().bytes(), "partial:CANCELLED", claim.envelope()));
                TestCluster.awaitTrue(() -> get(requester.apiUrl() + "/claims/refused").get("refused").size() == 1,
                        WAIT, () -> "no refusal");
                requester.store().ingest(List.of(claim.envelope())).join();
                assertThat(requester.store().account(requester.id()).spentMilli()).isZero();
                try (var feed = requester.store().feed(requester.id(), 1, 100)) {
                    assertThat(feed.filter(e -> e.body() instanceof EventBody.ServiceAcknowledged).count()).isZero();
                }
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    /** The requester asks the malicious peer; the peer streams three tokens and sends its forged claim. */
    private static RemoteReply serveOnce(Node requester, RawPeer evil, FeedBuilder evilFeed, Forge forge,
                                         List<SignedEvent> claims) {
        int before = requests(evil).size();
        var reply = requester.inference().client().infer(evil.keys.id(), MODEL,
                List.of(ChatMessage.user("What is 6 x 7?")), 32, "chat", WAIT, TokenSink.NONE);
        TestCluster.awaitTrue(() -> requests(evil).size() > before, WAIT, () -> "no request: " + evil.received);
        RemoteRequest r = RemoteRequest.verify(requests(evil).get(before), new SignatureVerifier());
        String text = "";
        for (String token : List.of("Forty", "-", "two")) {
            evil.send(new WireMessage.InferenceTokens(r.jobId().bytes(), token));
            text += token;
        }
        SignedEvent claim = evilFeed.next(forge.claim(r, text));
        claims.add(claim);
        evil.send(new WireMessage.InferenceDone(r.jobId().bytes(), "stop", claim.envelope()));
        return TestCluster.await(reply);
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

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return new ObjectMapper().readTree(r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("GET " + url + ": " + e, e);
        }
    }
}
