package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.vertx.ext.web.client.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.council.api.CouncilAsk;
import org.council.api.CouncilRecord;
import org.council.api.NodeActions;
import org.council.api.NodeInfo;
import org.council.bridge.QueueState;
import org.council.bridge.RequesterId;
import org.council.crypto.ApiToken;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.reputation.KarmaConfig;
import org.council.ledger.reputation.KarmaEngine;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;

/**
 * A real RocksDB ledger holding a small network's feeds, served by a real {@link ApiServer} on
 * 127.0.0.1 port 0, and a WebClient to call it. Feed A serves 12 jobs for B, B acknowledges 8 of
 * them and rates A, a liar forks its seq 1 (so this node's own feed records the proof).
 */
final class ApiFixture implements AutoCloseable {

    static final int PROPOSALS = 12;
    static final int ACKS = 8;
    static final long CREDITS = 1_000;

    final FeedBuilder a = FeedBuilder.random();
    final FeedBuilder b = FeedBuilder.random();
    final FeedBuilder liar = FeedBuilder.random();
    final RocksLedgerStore store;
    final WebClient client;
    final int port;
    final ObjectMapper mapper = new ObjectMapper();
    final ApiToken token = ApiToken.generate();
    final FakeActions actions = new FakeActions();

    ApiFixture(Vertx vertx, Path dir, NodeInfo node) throws Exception {
        NodeKeyPair self = NodeKeyPair.generate();
        store = RocksLedgerStore.open(dir, self, LedgerConfig.defaults());
        store.append(FeedBuilder.capabilities("self-model")).get(10, TimeUnit.SECONDS);
        a.next(FeedBuilder.capabilities("llama3.1:8b"));
        b.next(FeedBuilder.capabilities("qwen2.5:7b"));
        List<SignedEvent> proposals = new ArrayList<>();
        for (int i = 0; i < PROPOSALS; i++) {
            proposals.add(a.next(FeedBuilder.proposal(b.id(), CREDITS)));
        }
        for (int i = 0; i < ACKS; i++) {
            b.next(FeedBuilder.ack(proposals.get(i)));
        }
        b.next(new EventBody.Rating(JobId.random(), List.of(new EventBody.RatedMember(a.id(), 1500, 2))));
        List<byte[]> all = new ArrayList<>(a.envelopes());
        all.addAll(b.envelopes());
        SignedEvent honest = liar.next(FeedBuilder.capabilities("a"));
        all.add(honest.envelope());
        for (IngestOutcome o : store.ingest(all).get(10, TimeUnit.SECONDS)) {
            assertThat(o.accepted()).as(o.toString()).isTrue();
        }
        SignedEvent fork = liar.sign(1, null, honest.timestampMs(), FeedBuilder.capabilities("b"));
        assertThat(store.ingest(List.of(fork.envelope())).get(10, TimeUnit.SECONDS))
                .containsExactly(new IngestOutcome.ForkDetected(liar.id(), 1));
        // the proof is published in this node's own feed by an own append after the ingest completes
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!proofPublished(store, self.id())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the equivocation proof was not published in the own feed within 10 s");
            }
            Thread.sleep(10);
        }

        KarmaEngine karma = KarmaEngine.start(store, KarmaConfig.defaults(), List.of());
        NodeInfo info = node != null ? node : new FakeNode(self.id(), a.id(), b.id());
        NodeApi api = new NodeApi(store, karma, info, actions, token, () -> "# HELP council_test a test metric\n"
                + "# TYPE council_test counter\ncouncil_test_total 1.0\n");
        ApiServer server = new ApiServer(api::router, "127.0.0.1", 0);
        vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
        port = server.actualPort();
        client = WebClient.create(vertx);
    }

    private static boolean proofPublished(org.council.ledger.store.LedgerStore store, org.council.crypto.NodeId self) {
        try (java.util.stream.Stream<SignedEvent> own = store.feed(self, 1, Integer.MAX_VALUE)) {
            return own.anyMatch(e -> e.body() instanceof EventBody.EquivocationObserved);
        }
    }

    /** One response: status, content type, the raw body and, for a JSON response, the parsed body. */
    record Reply(int status, String contentType, JsonNode json, String raw) {
    }

    Reply get(String path) {
        return call(HttpMethod.GET, path);
    }

    Reply call(HttpMethod method, String path) {
        return call(method, path, null, Map.of());
    }

    /** POSTs a JSON body with the node's token. */
    Reply post(String path, String json) {
        return call(HttpMethod.POST, path, json, Map.of("authorization", "Bearer " + token.hex(),
                "content-type", "application/json"));
    }

    Reply call(HttpMethod method, String path, String body, Map<String, String> headers) {
        try {
            HttpRequest<Buffer> req = client.request(method, port, "127.0.0.1", path);
            headers.forEach(req::putHeader);
            HttpResponse<Buffer> r = (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)))
                    .await(30, TimeUnit.SECONDS);
            String raw = r.bodyAsString();
            String type = r.getHeader("content-type");
            JsonNode json = type != null && type.startsWith("application/json") ? mapper.readTree(raw) : null;
            return new Reply(r.statusCode(), type, json, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer for " + path, e);
        }
    }

    @Override
    public void close() {
        client.close();
        store.close();
    }

    /** A node with two peers, a busy queue, one council in its history and its Ollama endpoint. */
    record FakeNode(NodeId id, NodeId peerA, NodeId peerB) implements NodeInfo {

        @Override
        public String version() {
            return "0.1.0-test";
        }

        @Override
        public int peerCount() {
            return 2;
        }

        @Override
        public Map<NodeId, String> peers() {
            return Map.of(peerA, "127.0.0.1:40001", peerB, "127.0.0.1:40002");
        }

        @Override
        public QueueState queue() {
            return new QueueState(Map.of(RequesterId.LOCAL, 1, RequesterId.of(peerA.hex()), 2), 3, 1, 1024, 64,
                    List.of(new QueueState.BackendState("simulated", 1, 2, List.of("llama-3b"))), Duration.ofMillis(1500));
        }

        @Override
        public Map<NodeId, EventBody.CapabilitiesAnnounced> capabilities() {
            return Map.of(peerA, FeedBuilder.capabilities("llama3.1:8b"));
        }

        @Override
        public String ollamaUrl() {
            return "http://127.0.0.1:11435";
        }

        @Override
        public org.council.api.NetworkState network() {
            return new org.council.api.NetworkState("PRIVATE", null, 1, 0, 0, 0); // a null host: nullable in the schema
        }

        @Override
        public List<CouncilRecord> councilHistory(int limit) {
            return List.of(new CouncilRecord(JobId.random().hex(), 1_700_000_000_000L, 4200, 3,
                    List.of(new CouncilRecord.Member(peerA.hex(), "llama3.1:8b", 1.5),
                            new CouncilRecord.Member(peerB.hex(), "qwen2.5:7b", 0)), peerA.hex(), 1))
                    .subList(0, Math.min(1, limit));
        }
    }

    /** Acting ports that record what they were asked and answer a one-member council. */
    final class FakeActions implements NodeActions {
        final List<CouncilAsk> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> dialled = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public io.vertx.core.Future<Map<String, Object>> askCouncil(CouncilAsk ask,
                                                                   java.util.function.Consumer<Map<String, Object>> progress) {
            asked.add(ask);
            if (ask.question().equals("nobody home")) {
                return io.vertx.core.Future.failedFuture(new org.council.api.NoCouncilException("no council member available"));
            }
            if (ask.question().equals("broken node")) {
                return io.vertx.core.Future.failedFuture(new IllegalStateException("secret internal state"));
            }
            Map<String, Object> member = Map.of("node", a.id().hex(), "model", "llama3.1:8b", "reputation", 0.25);
            progress.accept(Map.of("type", "stage_started", "stage", "answer", "number", 1, "members", List.of(member)));
            progress.accept(Map.of("type", "member_replied", "stage", "answer", "member", member, "text", "42"));
            progress.accept(Map.of("type", "stage_ended", "stage", "answer", "number", 1, "status", "completed",
                    "detail", "1 of 1 answered"));
            Map<String, Object> result = new java.util.LinkedHashMap<>();
            result.put("council_id", JobId.random().hex());
            result.put("question", ask.question());
            result.put("stages_completed", 3);
            result.put("answer", "42");
            result.put("top_ranked_label", null);
            result.put("members", List.of(member));
            result.put("stages", List.of(
                    Map.of("stage", "answer", "status", "completed", "detail", "1 of 1 answered"),
                    Map.of("stage", "review", "status", "skipped", "detail", "a single answer"),
                    Map.of("stage", "synthesis", "status", "completed", "detail", "")));
            result.put("labels", Map.of("Response A", member));
            result.put("answers", List.of(Map.of("label", "Response A", "member", member, "text", "42",
                    "prompt_tokens", 10, "completion_tokens", 1)));
            result.put("reviews", List.of());
            result.put("aggregate", List.of());
            result.put("synthesis", Map.of("chairman", member, "text", "42", "prompt_tokens", 20, "completion_tokens", 1));
            result.put("failures", List.of());
            result.put("rated_members", List.of());
            return io.vertx.core.Future.succeededFuture(result);
        }

        @Override
        public io.vertx.core.Future<Void> addPeer(String address) {
            if (!address.contains(":")) {
                return io.vertx.core.Future.failedFuture(new IllegalArgumentException("expected host:port, got " + address));
            }
            dialled.add(address);
            return io.vertx.core.Future.succeededFuture();
        }
    }
}
