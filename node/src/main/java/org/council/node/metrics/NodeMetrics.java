package org.council.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.council.bridge.InferenceBridge;
import org.council.bridge.scheduler.SchedulerListener;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.Account;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.Rejection;
import org.council.node.peer.PeerManager;

/**
 * One node's metrics, rendered in the Prometheus text format for {@code GET /metrics}: ledger
 * appends, ingests and rejections, peers, the inference queue, tokens served, this node's credits,
 * and JVM basics. See {@code docs/metrics.md} for every metric.
 *
 * <p>Each node has its own registry (several nodes may share a JVM), built before the parts it
 * observes: give {@link #scheduler()} to the bridge, then {@link #bind} the ledger, peers and
 * bridge. Counters count from when the node started. Thread-safe; the hooks never block, while
 * {@link #scrape()} reads the ledger and must run off the event loop.
 */
public final class NodeMetrics implements AutoCloseable {

    /** Disconnect reasons exported even before they happen, so that their series start at 0. */
    private static final List<String> MISBEHAVIOURS = List.of("PROTOCOL_VIOLATION", "INVALID_EVENT", "FLOODING",
            "WRONG_IDENTITY");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final SchedulerMetrics scheduler = new SchedulerMetrics(registry);
    private final Counter appended;
    private final Counter ingested;
    private final Counter forks;
    private final Map<Rejection, Counter> rejects = new EnumMap<>(Rejection.class);
    private volatile PeerManager peers;

    public NodeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        appended = Counter.builder("council.ledger.events.appended")
                .description("Events this node signed and appended to its own feed").register(registry);
        ingested = Counter.builder("council.ledger.events.ingested")
                .description("Events of other authors stored after validation (replicated from peers)")
                .register(registry);
        forks = Counter.builder("council.ledger.forks.detected")
                .description("Equivocations found among events received from peers").register(registry);
        for (Rejection r : Rejection.values()) {
            rejects.put(r, Counter.builder("council.ledger.rejects")
                    .description("Events received from peers that the ledger refused, by reason")
                    .tag("reason", r.name()).register(registry));
        }
    }

    /** The listener to give the scheduler: queue waits, job outcomes and tokens served. */
    public SchedulerListener scheduler() {
        return scheduler;
    }

    /**
     * Starts observing the node's parts: registers the gauges and the ledger and replication
     * hooks. Call once, before the node appends or connects, so that counters miss nothing.
     */
    public void bind(LedgerStore store, PeerManager peers, InferenceBridge bridge) {
        NodeId self = store.self();
        store.onCommitted(events -> committed(self, events));
        peers.onIngestOutcomes(this::ingestOutcomes);
        this.peers = peers;
        MISBEHAVIOURS.forEach(this::disconnectCounter);

        gauge("council.peers.connected", "Peers with an established session", peers,
                p -> p.connectedPeers().size());
        gauge("council.feeds", "Feeds (authors) held in this node's ledger", store, s -> s.heads().size());
        gauge("council.ledger.events", "Events stored across all feeds", store, LedgerStore::eventCount);
        gauge("council.queue.waiting", "Inference jobs waiting in the queue", bridge, b -> b.queueState().waiting());
        gauge("council.queue.running", "Inference jobs running on a backend", bridge,
                b -> b.queueState().running());
        credits("council.credits.earned.milli", "Credits this node earned (settled receipts), in thousandths",
                store, self, Account::earnedMilli);
        credits("council.credits.spent.milli", "Credits this node spent (settled receipts), in thousandths",
                store, self, Account::spentMilli);
        credits("council.credits.balance.milli", "This node's balance, earned minus spent, in thousandths",
                store, self, Account::balanceMilli);
        credits("council.credits.pending.milli",
                "Credits for work this node served that its requesters have not acknowledged yet, in thousandths",
                store, self, Account::pendingEarnedMilli);
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).strongReference(true).register(registry);
    }

    private void credits(String name, String description, LedgerStore store, NodeId self,
                         ToDoubleFunction<Account> value) {
        gauge(name, description, store, s -> value.applyAsDouble(s.account(self)));
    }

    private void disconnectCounter(String reason) {
        FunctionCounter.builder("council.peer.disconnects", this,
                        m -> m.peers.misbehaviourCounts().getOrDefault(reason, 0))
                .description("Peers disconnected (and scored down) for misbehaving, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    private void committed(NodeId self, List<SignedEvent> events) {
        for (SignedEvent e : events) {
            (e.author().equals(self) ? appended : ingested).increment();
        }
    }

    private void ingestOutcomes(List<IngestOutcome> outcomes) {
        for (IngestOutcome o : outcomes) {
            if (o instanceof IngestOutcome.Rejected r) {
                rejects.get(r.reason()).increment();
            } else if (o instanceof IngestOutcome.ForkDetected) {
                forks.increment();
            }
        }
    }

    /** Every metric in the Prometheus text format (version 0.0.4). Reads the ledger: call off the event loop. */
    public String scrape() {
        PeerManager p = peers;
        if (p != null) {
            // a reason first seen now gets its series; registering an existing one returns it
            p.misbehaviourCounts().keySet().forEach(this::disconnectCounter);
        }
        return registry.scrape();
    }

    /** Stops the JVM listeners and closes the registry. Idempotent. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
