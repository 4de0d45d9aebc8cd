package org.council.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.bridge.Usage;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.scheduler.ScheduledInferenceBridge;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.peer.PeerConfig;
import org.council.node.peer.PeerManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMetricsTest {

    @TempDir
    Path dir;
    private final NodeKeyPair keys = NodeKeyPair.generate();
    private final NodeMetrics metrics = new NodeMetrics();
    private RocksLedgerStore store;
    private ScheduledInferenceBridge bridge;

    @BeforeEach
    void bind() {
        store = RocksLedgerStore.open(dir, keys, LedgerConfig.defaults());
        bridge = new ScheduledInferenceBridge(List.of(), r -> 0, SchedulerConfig.defaults());
        metrics.bind(store, new PeerManager(NodeCertificate.create(keys), store, PeerConfig.localDefaults()), bridge);
    }

    @AfterEach
    void close() {
        metrics.close();
        store.close();
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(metrics.scrape());
    }

    @Test
    void ownAppendsAndOtherAuthorsEventsAreCountedApart() throws InterruptedException {
        FeedBuilder other = FeedBuilder.random();
        for (int i = 0; i < 4; i++) {
            other.next(FeedBuilder.capabilities("o" + i));
        }

        store.append(FeedBuilder.capabilities("mine")).join();
        List<IngestOutcome> outcomes = store.ingest(other.envelopes()).join();

        assertThat(outcomes).allMatch(IngestOutcome::accepted);
        // the ledger completes a commit's futures before it runs its listeners (the metrics), so
        // wait for the listeners rather than race them
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (scrape().value("council_ledger_events_ingested_total") < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        PrometheusText m = scrape();
        assertThat(m.value("council_ledger_events_appended_total")).isEqualTo(1);
        assertThat(m.value("council_ledger_events_ingested_total")).isEqualTo(4);
        assertThat(m.value("council_ledger_events")).isEqualTo(5);
        assertThat(m.value("council_feeds")).isEqualTo(2);
    }

    @Test
    void jobsAreCountedByOutcomeAndTokensByRequester() {
        InferenceRequest mine = InferenceRequest.chat(RequesterId.LOCAL, "m", List.of(ChatMessage.user("hi")));
        InferenceRequest peers = InferenceRequest.chat(RequesterId.of("ab12"), "m", List.of(ChatMessage.user("hi")));

        metrics.scheduler().started(mine, 0);
        metrics.scheduler().ended(mine, Future.succeededFuture(result(7)));
        metrics.scheduler().started(peers, 2_000_000_000L);
        metrics.scheduler().ended(peers, Future.succeededFuture(result(30)));
        metrics.scheduler().ended(peers, Future.failedFuture(BridgeException.overloaded("full", Duration.ofSeconds(1))));
        metrics.scheduler().ended(peers, Future.failedFuture(BridgeException.cancelled()));

        PrometheusText m = scrape();
        assertThat(m.value("council_inference_jobs_total", "outcome", "COMPLETED")).isEqualTo(2);
        assertThat(m.value("council_inference_jobs_total", "outcome", "OVERLOADED")).isEqualTo(1);
        assertThat(m.value("council_inference_jobs_total", "outcome", "CANCELLED")).isEqualTo(1);
        assertThat(m.value("council_inference_jobs_total", "outcome", "TIMEOUT")).isZero();
        assertThat(m.value("council_tokens_served_total", "requester", "local")).isEqualTo(7);
        assertThat(m.value("council_tokens_served_total", "requester", "peer")).isEqualTo(30);
        assertThat(m.value("council_queue_wait_seconds_count")).isEqualTo(2);
        assertThat(m.value("council_queue_wait_seconds_sum")).isEqualTo(2.0);
        assertThat(m.value("council_queue_wait_seconds_bucket", "le", "1.0")).isEqualTo(1);
        assertThat(m.value("council_queue_wait_seconds_bucket", "le", "5.0")).isEqualTo(2);
    }

    @Test
    void everyLineIsPrometheusTextAndTheCouncilFamiliesAreDeclared() {
        PrometheusText m = scrape();

        assertThat(m.type("council_ledger_rejects_total")).isEqualTo("counter");
        assertThat(m.type("council_peers_connected")).isEqualTo("gauge");
        assertThat(m.type("council_queue_wait_seconds")).isEqualTo("histogram");
        assertThat(m.value("council_peers_connected")).isZero();
        assertThat(m.value("council_credits_balance_milli")).isZero();
        assertThat(m.samples()).extracting(PrometheusText.Sample::name).contains("jvm_memory_used_bytes",
                "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads", "process_uptime_seconds");
        assertThatThrownBy(() -> PrometheusText.parse("council_x{reason=BAD} 1\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static InferenceResult result(long completionTokens) {
        return new InferenceResult("m", "simulated", "text", "stop", new Usage(3, completionTokens, 0, 0, 0, 0));
    }
}
