package org.council.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.inference.RemoteReply;
import org.council.node.peer.RawPeer;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on loopback, some appends, a local and a remote inference and a forged event from a
 * raw peer; then {@code GET /metrics} over HTTP on each node's API port must be Prometheus text
 * whose numbers agree with what happened.
 */
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MODEL = "simulated-llama-3b";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsCountAppendsIngestsRejectsPeersJobsTokensAndCredits() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", List.of());
            Node b = cluster.start("b", List.of(a.id().hex() + "@" + a.address()));
            TestCluster.awaitTrue(() -> b.peers().link(a.id()).isPresent(), WAIT, () -> "b did not connect to a");
            for (int i = 0; i < 5; i++) {
                a.store().append(FeedBuilder.capabilities("m" + i)).join();
            }
            // given: one job for a's own user, one served for peer b (with its bilateral receipt)
            InferenceResult local = TestCluster.await(a.bridge().submit(InferenceRequest.chat(RequesterId.LOCAL, MODEL,
                    List.of(ChatMessage.user("hello"))), null).result());
            RemoteReply remote = TestCluster.await(b.inference().client().infer(a.id(), MODEL,
                    List.of(ChatMessage.user("What is a council?")), 0, "answer", WAIT, t -> { }));
            assertThat(remote.acknowledged()).isTrue();
            cluster.awaitConverged(WAIT);
            TestCluster.awaitTrue(() -> a.store().account(a.id()).earnedMilli() > 0, WAIT, () -> "a earned nothing");
            // and a forged event from a raw peer
            forgeAnEventTo(a);

            // when
            HttpResponse<String> response = get(a);
            PrometheusText am = PrometheusText.parse(response.body());
            PrometheusText bm = PrometheusText.parse(get(b).body());

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            long aHead = a.store().head(a.id()).orElseThrow().seq();
            long bHead = b.store().head(b.id()).orElseThrow().seq();
            assertThat(am.value("council_ledger_events_appended_total")).isEqualTo(aHead);
            assertThat(am.value("council_ledger_events_ingested_total")).isEqualTo(bHead);
            assertThat(bm.value("council_ledger_events_appended_total")).isEqualTo(bHead);
            assertThat(bm.value("council_ledger_events_ingested_total")).isEqualTo(aHead).isPositive();
            assertThat(am.type("council_ledger_events_appended_total")).isEqualTo("counter");
            assertThat(am.value("council_ledger_events")).isEqualTo(aHead + bHead);
            assertThat(am.value("council_feeds")).isEqualTo(2);

            assertThat(am.value("council_ledger_rejects_total", "reason", "BAD_SIGNATURE")).isEqualTo(1);
            assertThat(am.value("council_ledger_rejects_total", "reason", "SEQ_GAP")).isZero();
            assertThat(am.value("council_peer_disconnects_total", "reason", "INVALID_EVENT")).isEqualTo(1);
            assertThat(bm.value("council_ledger_rejects_total", "reason", "BAD_SIGNATURE")).isZero();
            assertThat(am.value("council_peers_connected")).isEqualTo(1);
            assertThat(bm.value("council_peers_connected")).isEqualTo(1);

            assertThat(am.value("council_inference_jobs_total", "outcome", "COMPLETED")).isEqualTo(2);
            assertThat(am.value("council_inference_jobs_total", "outcome", "OVERLOADED")).isZero();
            assertThat(am.value("council_queue_wait_seconds_count")).isEqualTo(2);
            assertThat(am.type("council_queue_wait_seconds")).isEqualTo("histogram");
            assertThat(am.value("council_queue_wait_seconds_bucket", "le", "+Inf")).isEqualTo(2);
            assertThat(am.value("council_queue_waiting")).isZero();
            assertThat(am.value("council_queue_running")).isZero();
            assertThat(am.value("council_tokens_served_total", "requester", "local"))
                    .isEqualTo(local.usage().completionTokens()).isPositive();
            assertThat(am.value("council_tokens_served_total", "requester", "peer"))
                    .isEqualTo(remote.completionTokens()).isPositive();
            assertThat(bm.value("council_inference_jobs_total", "outcome", "COMPLETED")).isZero();

            var account = a.store().account(a.id());
            assertThat(am.value("council_credits_earned_milli")).isEqualTo(account.earnedMilli()).isPositive();
            assertThat(am.value("council_credits_spent_milli")).isEqualTo(account.spentMilli());
            assertThat(am.value("council_credits_balance_milli")).isEqualTo(account.balanceMilli());
            assertThat(bm.value("council_credits_spent_milli")).isEqualTo(account.earnedMilli());
            assertThat(bm.value("council_credits_balance_milli")).isEqualTo(-account.earnedMilli());

            assertThat(am.samples().stream().filter(s -> s.name().equals("jvm_memory_used_bytes")
                    && "heap".equals(s.labels().get("area"))).mapToDouble(PrometheusText.Sample::value).sum())
                    .isPositive();
            assertThat(am.value("jvm_threads_live_threads")).isPositive();
            assertThat(am.value("process_uptime_seconds")).isPositive();
        }
    }

    private void forgeAnEventTo(Node node) {
        Vertx vertx = Vertx.vertx();
        try {
            NodeKeyPair keys = NodeKeyPair.generate();
            RawPeer p = TestCluster.await(new RawPeer(keys).connect(vertx, node.peers().listenPort()));
            p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", keys.id(), 0, "forger"));
            TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks), WAIT,
                    () -> "no clocks from the node");
            p.send(new WireMessage.Clocks(List.of(), true));
            FeedBuilder feed = new FeedBuilder(keys);
            byte[] forged = feed.next(FeedBuilder.capabilities("forged")).envelope().clone();
            forged[forged.length - 1] ^= 1; // inside the signature
            p.send(new WireMessage.EventBatch(keys.id(), List.of(forged)));
            TestCluster.awaitTrue(p::isClosed, WAIT, () -> "the forger was not disconnected");
            TestCluster.awaitTrue(() -> !node.peers().connectedPeers().containsKey(keys.id()), WAIT,
                    () -> "the node still counts the forger as a peer");
        } finally {
            TestCluster.await(vertx.close());
        }
    }

    private HttpResponse<String> get(Node node) throws IOException, InterruptedException {
        String root = node.apiUrl().substring(0, node.apiUrl().length() - "/api/v1".length());
        return http.send(HttpRequest.newBuilder(URI.create(root + "/metrics")).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
