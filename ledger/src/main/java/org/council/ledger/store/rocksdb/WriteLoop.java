package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.Projections;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerException;
import org.council.ledger.store.LedgerRejectedException;
import org.council.ledger.store.Rejection;

/**
 * The single writer: takes own appends and prechecked ingests from a queue, places them in their
 * feeds, updates the projections, and group-commits: as many queued tasks as fit in one batch
 * go into one RocksDB write batch with one sync, then every caller of the batch is completed.
 * A failed write fails every caller of that batch and leaves the committed state untouched.
 *
 * <p>Threading: {@link #submit} and {@link #addListener} from any thread; everything else runs on
 * the writer thread, which {@link #run} records as the owner. Commits assert that confinement, and
 * calls that would wait for the writer fail fast there ({@link #refuseBlockingOnWriter}).
 */
final class WriteLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(WriteLoop.class.getName());

    sealed interface Task {
    }

    /** Own events, already signed by the {@link OwnFeedSigner}, in feed order. */
    record OwnEvents(List<Signed> events) implements Task {
    }

    record Signed(SignedEvent event, CompletableFuture<SignedEvent> result) {
    }

    record Ingest(List<Prechecker.Checked> items, CompletableFuture<List<IngestOutcome>> result) implements Task {
    }

    /** Runs alone on the writer thread, between batches (projection rebuilds). */
    record Exclusive(Runnable action, CompletableFuture<Void> result) implements Task {
    }

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final RocksHandles db;
    private final NodeId self;
    private final Map<NodeId, FeedHead> heads;
    private final AtomicLong eventCount;
    private final int maxBatch;
    private final Function<EventBody, CompletableFuture<SignedEvent>> ownAppend;
    private final Consumer<FeedHead> onCommitFailure;
    private final FeedCap feedCap;
    private boolean ownIngested; // writer thread only: the batch holds own events received from peers
    private final List<Consumer<List<SignedEvent>>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile Thread owner; // the writer thread, once run() started

    /**
     * @param ownAppend       appends a body to the own feed (used to publish equivocation proofs)
     * @param onCommitFailure told the own feed's last durable head after a failed commit, or after
     *                        events of the own feed were ingested from peers (the signer continues there)
     * @param feedCap         the bound on feeds, checked (and a feed evicted) when an ingest would start a new one
     */
    WriteLoop(RocksHandles db, NodeId self, Map<NodeId, FeedHead> heads, AtomicLong eventCount, int maxBatch,
              Function<EventBody, CompletableFuture<SignedEvent>> ownAppend, Consumer<FeedHead> onCommitFailure,
              FeedCap feedCap) {
        this.feedCap = feedCap;
        this.db = db;
        this.self = self;
        this.heads = heads;
        this.eventCount = eventCount;
        this.maxBatch = maxBatch;
        this.ownAppend = ownAppend;
        this.onCommitFailure = onCommitFailure;
    }

    void submit(Task task) {
        if (!running) {
            fail(task, new LedgerException("ledger is closed"));
            return;
        }
        queue.add(task);
    }

    void addListener(Consumer<List<SignedEvent>> listener) { listeners.add(listener); }

    /** True on the writer thread (in a commit, a commit listener, or an action chained there). */
    boolean onWriterThread() {
        return Thread.currentThread() == owner;
    }

    /** Fails fast when {@code what} (a call that waits for the writer) runs on the writer thread: it would hang. */
    void refuseBlockingOnWriter(String what) {
        if (onWriterThread()) {
            throw new IllegalStateException(what + " on the ledger writer thread would deadlock: the writer would"
                    + " wait for itself. A commit listener or an action chained onto a ledger future runs on that"
                    + " thread; hand the work to another executor first.");
        }
    }

    /** Stops taking tasks after those already queued; returns once the loop has ended. */
    void stop() { running = false; }

    @Override
    public void run() {
        owner = Thread.currentThread();
        while (running || !queue.isEmpty()) {
            Task first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                continue;
            }
            if (first instanceof Exclusive ex) {
                runExclusive(ex);
                continue;
            }
            List<Task> tasks = new ArrayList<>();
            tasks.add(first);
            int events = weight(first);
            Task next;
            while (events < maxBatch && (next = queue.peek()) != null && !(next instanceof Exclusive)) {
                tasks.add(queue.poll());
                events += weight(next);
            }
            commit(tasks);
        }
        Task left;
        while ((left = queue.poll()) != null) {
            fail(left, new LedgerException("ledger is closed"));
        }
    }

    /** Commits one group (package-private for the confinement test). */
    void commit(List<Task> tasks) {
        assert onWriterThread() : "WriteLoop.commit called on " + Thread.currentThread().getName()
                + ", not on the ledger writer thread";
        ownIngested = false;
        int events = 0;
        for (Task t : tasks) {
            events += weight(t);
        }
        try (CommitBatch batch = new CommitBatch(db, heads, events)) {
            try {
                for (Task t : tasks) {
                    process(t, batch);
                }
                long total = eventCount.get() + batch.size() - batch.evictedEvents();
                if (batch.dirty()) {
                    batch.flush();
                    batch.putMeta(StoreKeys.EVENT_COUNT, StoreKeys.longValue(total));
                    batch.putMeta(StoreKeys.PROJECTION_APPLIED, StoreKeys.longValue(total));
                    db.write(batch.writes);
                }
                feedCap.committed(batch); // before the new heads: it compares them with the old ones
                heads.putAll(batch.stagedHeads());
                eventCount.set(total);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "ledger commit of " + batch.size() + " events failed", e);
                LedgerException failure = e instanceof LedgerException le ? le
                        : new LedgerException("ledger commit failed: " + e, e);
                feedCap.failed(batch);
                for (Task t : tasks) {
                    fail(t, failure);
                }
                onCommitFailure.accept(heads.get(self));
                return;
            }
            batch.onDurable.forEach(Runnable::run);
            if (ownIngested) {
                onCommitFailure.accept(heads.get(self)); // own history recovered from peers: sign on top of it
            }
            if (!batch.accepted.isEmpty()) {
                List<SignedEvent> committed = List.copyOf(batch.accepted);
                for (Consumer<List<SignedEvent>> l : listeners) {
                    try {
                        l.accept(committed);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "a ledger listener failed", e);
                    }
                }
            }
        }
    }

    private void process(Task task, CommitBatch batch) {
        if (task instanceof OwnEvents own) {
            for (Signed s : own.events()) {
                IngestOutcome.Rejected r = FeedRules.place(s.event(), batch.head(self));
                if (r == null) {
                    accept(s.event(), batch);
                    batch.onDurable.add(() -> s.result().complete(s.event()));
                } else {
                    // only possible after an earlier commit failed: nothing was staged for it
                    s.result().completeExceptionally(new LedgerRejectedException(r.reason(), r.detail()));
                }
            }
        } else if (task instanceof Ingest in) {
            List<IngestOutcome> outcomes = new ArrayList<>(in.items().size());
            for (Prechecker.Checked c : in.items()) {
                outcomes.add(c.rejection() != null ? c.rejection() : place(c.event(), batch));
            }
            batch.onDurable.add(() -> in.result().complete(outcomes));
        }
    }

    private IngestOutcome place(SignedEvent e, CommitBatch batch) {
        FeedHead head = batch.head(e.author());
        boolean own = e.author().equals(self);
        IngestOutcome.Rejected r = FeedRules.place(e, head);
        if (r == null && head == null && !own) {
            r = feedCap.refuse(e.author(), batch); // after the feed rules: nothing is evicted for an invalid start
        }
        if (r == null) {
            ownIngested |= own;
            accept(e, batch);
            return new IngestOutcome.Accepted(e);
        }
        if (r != FeedRules.BEHIND) {
            return r;
        }
        SignedEvent stored = batch.event(e.author(), e.seq());
        if (FeedRules.sameContent(stored, e)) {
            return new IngestOutcome.Rejected(Rejection.DUPLICATE,
                    e.author().shortHex() + "#" + e.seq() + " is already stored");
        }
        if (own) { // signed by this key but not what it holds: an old data dir signed on, or the key leaked
            LOG.log(System.Logger.Level.ERROR, "this node's key signed two events at its own seq " + e.seq());
            return new IngestOutcome.Rejected(Rejection.PREV_MISMATCH, "conflicts with own event at seq " + e.seq());
        }
        // One proof per author is enough to zero its karma everywhere: publishing one per forked seq
        // would let a liar make every honest node write as many proofs as it signs forks.
        if (!batch.hasProof(e.author(), e.seq()) && !Projections.isEquivocator(batch, e.author())) {
            LOG.log(System.Logger.Level.WARNING, "equivocation: " + e.author().hex() + " signed two events at seq " + e.seq());
            batch.stageProof(e.author(), e.seq(), stored, e);
            Projections.markEquivocator(batch, e.author());
            // Once durable, publish the proof in our own feed so that it replicates like any event.
            EventBody.EquivocationObserved proof = new EventBody.EquivocationObserved(e.author(), e.seq(), stored, e);
            batch.onDurable.add(() -> ownAppend.apply(proof).whenComplete((published, failure) -> {
                if (failure != null) {
                    LOG.log(System.Logger.Level.ERROR, "publishing the equivocation proof against "
                            + e.author().hex() + " at seq " + e.seq() + " failed", failure);
                }
            }));
        }
        return new IngestOutcome.ForkDetected(e.author(), e.seq());
    }

    private void accept(SignedEvent e, CommitBatch batch) {
        feedCap.placed(e);
        batch.stageEvent(e);
        if (e.body() instanceof EventBody.EquivocationObserved proof && !batch.hasProof(proof.accused(), proof.seq())) {
            batch.stageProof(proof.accused(), proof.seq(), proof.first(), proof.second());
        }
        Projections.evolve(batch, e);
    }

    private void runExclusive(Exclusive ex) {
        assert onWriterThread() : "exclusive ledger action off the writer thread";
        try {
            ex.action().run();
            ex.result().complete(null);
        } catch (RuntimeException e) {
            ex.result().completeExceptionally(e);
        }
    }

    private static int weight(Task t) {
        return t instanceof Ingest in ? in.items().size() : t instanceof OwnEvents own ? own.events().size() : 1;
    }

    private static void fail(Task t, Throwable e) {
        if (t instanceof OwnEvents own) {
            own.events().forEach(s -> s.result().completeExceptionally(e));
        } else if (t instanceof Ingest in) {
            in.result().completeExceptionally(e);
        } else if (t instanceof Exclusive ex) {
            ex.result().completeExceptionally(e);
        }
    }
}
