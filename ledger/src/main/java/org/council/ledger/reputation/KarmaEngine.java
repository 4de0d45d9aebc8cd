package org.council.ledger.reputation;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;

/**
 * Karma from this node's point of view, kept up to date incrementally from a {@link LedgerStore}
 * (formula, parameters and a worked example: {@code docs/reputation.md}).
 *
 * <p>On creation it scans the log once to rebuild its receipt graph (and can hand the scanned
 * events to another read model, so that a node decodes its log once at start); from then on the store's
 * commit listener hands it each committed batch through a lock-free queue ({@link GraphFeed}),
 * and the karma side drains the queue (settling receipts, marking equivocators) and marks the
 * result dirty. The trust vector is recomputed lazily, when read and dirty, at most once
 * per {@link KarmaConfig#minRecomputeInterval()} (and at least once per
 * {@link KarmaConfig#maxStaleness()}, as receipts age), warm-started from the previous vector; a
 * burst of events therefore costs one recomputation, not one per event or per request.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. The commit listener runs on
 * the ledger's writer thread and only enqueues: it never takes a karma lock, so building a graph
 * view can never stall ledger commits. The queue is drained on the executor (the common pool
 * without one) and by every recomputation before it freezes the graph. Reads return
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
    private final GraphFeed feed;
    private volatile Set<NodeId> trusted;
    private volatile TrustSnapshot current;
    private final Object computeMonitor = new Object();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean forced = new AtomicBoolean();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong recomputations = new AtomicLong();
    private final AtomicLong rescans = new AtomicLong();

    private KarmaEngine(LedgerStore store, KarmaConfig config, Collection<NodeId> trusted, Executor executor) {
        this.store = store;
        this.config = config;
        this.executor = executor;
        this.self = store.self();
        this.trusted = Set.copyOf(trusted);
        TrustGraph graph = new TrustGraph(config.halfLife().toMillis(), config.clockMillis().getAsLong());
        // Without an executor the graph is still fed off the writer thread, on the common pool.
        this.feed = new GraphFeed(graph, executor == null ? ForkJoinPool.commonPool() : executor,
                config.clockMillis(), () -> dirty.set(true));
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
        return start(store, config, trusted, executor, e -> { });
    }

    /**
     * As {@link #start(LedgerStore, KarmaConfig, Collection, Executor)}, also handing every event
     * of the start-up scan, in log order, to {@code alsoScanned}: decoding a long-lived node's log
     * takes seconds, so the node's other read models built at start share this one pass instead
     * of each scanning the log again. {@code alsoScanned} runs on the calling thread before this
     * method returns; a consumer that must not miss events committed during the scan registers
     * its own commit listener before calling (it then sees some events twice).
     */
    public static KarmaEngine start(LedgerStore store, KarmaConfig config, Collection<NodeId> trusted,
                                    Executor executor, Consumer<SignedEvent> alsoScanned) {
        Objects.requireNonNull(alsoScanned, "alsoScanned");
        KarmaEngine engine = new KarmaEngine(store, config, trusted, executor);
        store.onCommitted(engine.feed::enqueue);
        engine.feed.scan(store, alsoScanned);
        engine.rescans.incrementAndGet();
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

    /**
     * The share of {@code rater}'s outgoing trust that it hands {@code ratee} in the last result
     * (EigenTrust's normalised local trust {@code c}, after caps, net flow, quality and the
     * newcomer budget; docs/reputation.md), 0 when there is no such edge.
     */
    public double localTrust(NodeId rater, NodeId ratee) {
        return snapshot().localTrust(rater, ratee);
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

    @Override
    public Reputation refreshed() {
        refresh();
        return this;
    }

    /** Recomputes now, on the calling thread, and publishes the result. */
    public void refresh() {
        synchronized (computeMonitor) {
            forced.set(false);
            dirty.set(false);
            long now = config.clockMillis().getAsLong();
            GraphView view = feed.view(now, self, trusted, config);
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

    // --- for tests in this package ---

    GraphFeed feed() {
        return feed;
    }

    long eventsSeen() {
        return feed.eventsSeen();
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
        return feed.settledReceipts();
    }

    int pendingHalves() {
        return feed.pendingHalves();
    }
}
