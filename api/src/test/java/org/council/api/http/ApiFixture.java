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
import org.council.api.NodeInfo;
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

        KarmaEngine karma = KarmaEngine.start(store, KarmaConfig.defaults(), List.of());
        NodeInfo info = node != null ? node : new StaticNodeInfo(self.id(), "0.1.0-test", 3);
        ApiServer server = new ApiServer(new AuditApi(store, karma, info), "127.0.0.1", 0);
        vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
        port = server.actualPort();
        client = WebClient.create(vertx);
    }

    /** One response: status, content type, the raw body and, for a JSON response, the parsed body. */
    record Reply(int status, String contentType, JsonNode json, String raw) {
    }

    Reply get(String path) {
        return call(HttpMethod.GET, path);
    }

    Reply call(HttpMethod method, String path) {
        try {
            HttpResponse<Buffer> r = client.request(method, port, "127.0.0.1", path).send()
                    .await(10, TimeUnit.SECONDS);
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

    record StaticNodeInfo(NodeId id, String version, int peerCount) implements NodeInfo {
    }
}
