package org.council.ledger.reputation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.ReceiptSettlement;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.LedgerStore;

/**
 * Karma from this node's point of view, kept up to date incrementally from a {@link LedgerStore}
 * (formula, parameters and a worked example: {@code docs/reputation.md}).
 *
 * <p>On creation it scans the log once to rebuild its receipt graph; from then on the store's
 * commit listener feeds it each committed event (settling receipts, marking equivocators) and
 * marks the result dirty. The trust vector is recomputed lazily, when read and dirty, at most once
 * per {@link KarmaConfig#minRecomputeInterval()} (and at least once per
 * {@link KarmaConfig#maxStaleness()}, as receipts age), warm-started from the previous vector; a
 * burst of events therefore costs one recomputation, not one per event or per request.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. The commit listener runs on
 * the ledger's writer thread and only updates the in-memory graph under a short lock. Reads return
 * the last published result (an immutable snapshot) and never wait for a recomputation in progress.
 * Without an executor, the reading thread that finds the result due recomputes it inline (others
 * meanwhile read the previous one); with an executor the recomputation runs there and the reader
 * returns at once. Pass an executor when reads come from an event loop and the graph is large.
 *
 * <p>Durability: nothing is stored; everything is derived from the ledger again on the next start.
 */
public final class KarmaEngine implements Reputation {

    private static final System.Logger LOG = System.getLogger(KarmaEngine.class.getName());

    private final LedgerStore store;
    private final KarmaConfig config;
    private final Executor executor;
    private final NodeId self;
    private final Object graphLock = new Object();
    private final ReceiptMatcher matcher = new ReceiptMatcher();
    private final TrustGraph graph;
    private List<SignedEvent> backlog = new ArrayList<>(); // guarded by graphLock; null once live
    private volatile Set<NodeId> trusted;
    private volatile TrustSnapshot current;
    private final Object computeMonitor = new Object();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean forced = new AtomicBoolean();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong eventsSeen = new AtomicLong();
    private final AtomicLong recomputations = new AtomicLong();
    private final AtomicLong rescans = new AtomicLong();

    private KarmaEngine(LedgerStore store, KarmaConfig config, Collection<NodeId> trusted, Executor executor) {
        this.store = store;
        this.config = config;
        this.executor = executor;
        this.self = store.self();
        this.trusted = Set.copyOf(trusted);
        this.graph = new TrustGraph(config.halfLife().toMillis(), config.clockMillis().getAsLong());
    }

    /**
     * Builds the engine over {@code store}: registers for commits, scans the log once, computes the
     * first result. Recomputations then run on the reading thread.
     *
     * @param trusted peers the operator marks as trusted (pre-trusted besides this node)
     */
    public static KarmaEngine start(LedgerStore store, KarmaConfig config, Collection<NodeId> trusted) {
        return start(store, config, trusted, null);
    }

    /** As {@link #start(LedgerStore, KarmaConfig, Collection)}, recomputing on {@code executor} (null: inline). */
    public static KarmaEngine start(LedgerStore store, KarmaConfig config, Collection<NodeId> trusted,
                                    Executor executor) {
        KarmaEngine engine = new KarmaEngine(store, config, trusted, executor);
        store.onCommitted(engine::onCommitted);
        engine.rebuild();
        engine.refresh();
        return engine;
    }

    @Override
    public double karma(NodeId id) {
        Ranked r = snapshot().get(id);
        return r == null ? 0 : r.karma();
    }

    @Override
    public double trust(NodeId id) {
        Ranked r = snapshot().get(id);
        return r == null ? 0 : r.trust();
    }

    @Override
    public List<Ranked> ranking() {
        return snapshot().ranking();
    }

    /** The standing of {@code id}, if the graph knows it. */
    public Optional<Ranked> ranked(NodeId id) {
        return Optional.ofNullable(snapshot().get(id));
    }

    /** The peers the operator marks as trusted. */
    public Set<NodeId> trusted() {
        return trusted;
    }

    /** Replaces the operator-trusted peers; the next read recomputes, whatever the interval. */
    public void setTrusted(Collection<NodeId> peers) {
        trusted = Set.copyOf(peers);
        forced.set(true);
    }

    /** Recomputes now, on the calling thread, and publishes the result. */
    public void refresh() {
        synchronized (computeMonitor) {
            forced.set(false);
            dirty.set(false);
            long now = config.clockMillis().getAsLong();
            GraphView view;
            synchronized (graphLock) {
                view = graph.view(now, self, trusted, config);
            }
            TrustSnapshot previous = current;
            double[] start = previous == null ? new double[view.size()] : previous.warmStart(view);
            EigenTrust.Result result = EigenTrust.solve(view, config.alpha(), start, config.epsilon(),
                    config.maxIterations());
            current = TrustSnapshot.of(view, result, config, now);
            recomputations.incrementAndGet();
        }
    }

    private TrustSnapshot snapshot() {
        TrustSnapshot snap = current;
        long age = config.clockMillis().getAsLong() - snap.computedAtMs();
        boolean due = age < 0 || age >= config.maxStaleness().toMillis() || forced.get()
                || (dirty.get() && age >= config.minRecomputeInterval().toMillis());
        if (due && inFlight.compareAndSet(false, true)) {
            Runnable task = () -> {
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "karma recomputation failed", e);
                } finally {
                    inFlight.set(false);
                }
            };
            if (executor == null) {
                task.run();
            } else {
                try {
                    executor.execute(task);
                } catch (RejectedExecutionException e) {
                    inFlight.set(false);
                }
            }
        }
        return current;
    }

    private void rebuild() {
        synchronized (graphLock) {
            for (EquivocationProof proof : store.equivocations()) {
                graph.markEquivocator(proof.accused());
            }
        }
        Map<NodeId, Long> scanned = new HashMap<>();
        try (Stream<SignedEvent> all = store.allEvents()) {
            all.forEachOrdered(e -> {
                synchronized (graphLock) {
                    apply(e);
                }
                scanned.merge(e.author(), e.seq(), Math::max);
                eventsSeen.incrementAndGet();
            });
        }
        synchronized (graphLock) {
            // Events committed while scanning: apply those the scan's iterator did not already see.
            for (SignedEvent e : backlog) {
                if (e.seq() > scanned.getOrDefault(e.author(), 0L)) {
                    apply(e);
                    eventsSeen.incrementAndGet();
                }
            }
            backlog = null;
        }
        rescans.incrementAndGet();
        dirty.set(true);
    }

    private void onCommitted(List<SignedEvent> events) {
        boolean changed = false;
        synchronized (graphLock) {
            if (backlog != null) {
                backlog.addAll(events);
                return;
            }
            for (SignedEvent e : events) {
                changed |= apply(e);
            }
        }
        if (changed) {
            dirty.set(true);
        }
        eventsSeen.addAndGet(events.size()); // after the dirty mark: tests wait on this count
    }

    /** Applies one event to the graph (caller holds graphLock); true when the graph changed. */
    private boolean apply(SignedEvent e) {
        EventBody body = e.body();
        ReceiptSettlement.Settled settled = null;
        boolean equivocation = switch (body.kind()) {
            case SERVICE_PROPOSED -> {
                settled = matcher.proposed(e, (EventBody.ServiceProposed) body);
                yield false;
            }
            case SERVICE_ACKNOWLEDGED -> {
                settled = matcher.acknowledged(e, (EventBody.ServiceAcknowledged) body);
                yield false;
            }
            case EQUIVOCATION_OBSERVED -> graph.markEquivocator(((EventBody.EquivocationObserved) body).accused());
            case CAPABILITIES_ANNOUNCED, RATING, UNKNOWN -> false;
        };
        if (settled != null) {
            graph.add(settled, config.clockMillis().getAsLong());
            return true;
        }
        return equivocation;
    }

    // --- for tests in this package ---

    long eventsSeen() {
        return eventsSeen.get();
    }

    long recomputations() {
        return recomputations.get();
    }

    long rescans() {
        return rescans.get();
    }

    int lastIterations() {
        return current.iterations();
    }

    long settledReceipts() {
        synchronized (graphLock) {
            return graph.receipts();
        }
    }

    int pendingHalves() {
        synchronized (graphLock) {
            return matcher.pending();
        }
    }
}
