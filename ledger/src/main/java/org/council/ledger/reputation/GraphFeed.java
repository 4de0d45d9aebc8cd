package org.council.ledger.reputation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.ReceiptSettlement;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.LedgerStore;

/**
 * Feeds committed events into the karma engine's receipt graph without ever making the ledger
 * writer wait.
 *
 * <p>The store's commit listener ({@link #enqueue}) runs on the ledger writer thread: it only adds
 * the batch to a lock-free queue and asks the karma executor to drain it. The drain takes the
 * graph lock, settles receipts, marks equivocators and reports whether the graph changed. The
 * graph lock is therefore contended only between karma's own drains and view builds, never by the
 * writer. The queue holds what was committed since the last drain: one drain is scheduled per
 * commit while none is pending, so it stays short unless the karma executor is starved.
 *
 * <p>Thread-safety: {@link #enqueue} from any thread (lock-free); everything else takes the graph
 * lock.
 */
final class GraphFeed {

    private final Object graphLock = new Object();
    private final ConcurrentLinkedQueue<List<SignedEvent>> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong eventsSeen = new AtomicLong();
    private final Executor drainer;
    private final Runnable onChange;
    private final LongSupplier clockMillis;
    private final ReceiptMatcher matcher = new ReceiptMatcher(); // guarded by graphLock
    private final TrustGraph graph; // guarded by graphLock
    /** Timestamps of acknowledgements waiting for their proposal, by (server, seq, author); guarded by graphLock. */
    private final Map<AckKey, Long> ackTimes = new HashMap<>();
    private boolean live; // guarded by graphLock: false until the first scan of the log is done
    /**
     * Guarded by graphLock: the highest seq applied per author. The writer completes appends
     * before it calls its listeners, so a batch the scan already read can still arrive through
     * the listener after the scan; events of a feed arrive in seq order, so one number per author
     * makes applying idempotent.
     */
    private final Map<NodeId, Long> appliedHead = new HashMap<>();

    GraphFeed(TrustGraph graph, Executor drainer, LongSupplier clockMillis, Runnable onChange) {
        this.graph = graph;
        this.drainer = drainer;
        this.clockMillis = clockMillis;
        this.onChange = onChange;
    }

    /** The commit listener: ledger writer thread. Never blocks and never takes the graph lock. */
    void enqueue(List<SignedEvent> events) {
        inbox.add(events);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                drainer.execute(() -> {
                    drainScheduled.set(false); // before polling: a batch enqueued from now on schedules again
                    drain();
                });
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false); // shutting down; a later refresh() still drains
            }
        }
    }

    /** Applies everything queued (karma side); a no-op until the first scan finished. */
    void drain() {
        boolean changed = false;
        long applied = 0;
        synchronized (graphLock) {
            if (!live) {
                return; // the scan's end takes over what is queued
            }
            for (List<SignedEvent> batch; (batch = inbox.poll()) != null; ) {
                for (SignedEvent e : batch) {
                    changed |= applyOnce(e);
                }
                applied += batch.size();
            }
        }
        if (changed) {
            onChange.run();
        }
        eventsSeen.addAndGet(applied); // after the change mark: tests wait on this count
    }

    /**
     * Scans the whole log once, handing each event to {@code alsoScanned} too (so another read
     * model shares the pass), then applies what was committed meanwhile and goes live.
     */
    void scan(LedgerStore store, Consumer<SignedEvent> alsoScanned) {
        synchronized (graphLock) {
            for (EquivocationProof proof : store.equivocations()) {
                graph.markEquivocator(proof.accused());
            }
        }
        try (Stream<SignedEvent> all = store.allEvents()) {
            all.forEachOrdered(e -> {
                synchronized (graphLock) {
                    applyOnce(e);
                }
                alsoScanned.accept(e);
                eventsSeen.incrementAndGet();
            });
        }
        synchronized (graphLock) {
            // Events committed while scanning: apply those the scan's iterator did not already see.
            for (List<SignedEvent> batch; (batch = inbox.poll()) != null; ) {
                for (SignedEvent e : batch) {
                    if (applyOnce(e)) {
                        eventsSeen.incrementAndGet();
                    }
                }
            }
            live = true;
        }
        onChange.run();
    }

    /** Drains, then freezes the graph (karma side). */
    GraphView view(long nowMs, NodeId self, Set<NodeId> trusted, KarmaConfig config) {
        drain();
        synchronized (graphLock) {
            return graph.view(nowMs, self, trusted, config);
        }
    }

    /** For tests: the lock a graph view holds while it is built. */
    Object graphLock() {
        return graphLock;
    }

    long eventsSeen() {
        return eventsSeen.get();
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

    private record AckKey(NodeId server, long seq, NodeId requester) {
    }

    /**
     * Applies {@code e} unless this author's feed was already applied up to its seq; graphLock held.
     * Only kinds that change the graph are remembered (applying the others again does nothing):
     * feeds of capability announcements only are the ones the store evicts at its feed cap, and such
     * a feed may come back from seq 1 with other events, which must then be applied; nor does a
     * flood of such feeds grow this map past the feeds the store keeps.
     */
    private boolean applyOnce(SignedEvent e) {
        Long head = appliedHead.get(e.author());
        if (head != null && e.seq() <= head) {
            return false;
        }
        if (e.kind() != EventKind.CAPABILITIES_ANNOUNCED && e.kind() != EventKind.UNKNOWN) {
            appliedHead.put(e.author(), e.seq());
        }
        apply(e);
        return true;
    }

    private boolean apply(SignedEvent e) {
        EventBody body = e.body();
        ReceiptSettlement.Settled settled = null;
        long settledAtMs = e.timestampMs();
        boolean changed = switch (body.kind()) {
            case SERVICE_PROPOSED -> {
                settled = matcher.proposed(e, (EventBody.ServiceProposed) body);
                if (settled != null) {
                    // probation runs from the later half: a server cannot backdate the requester's acknowledgement
                    Long acked = ackTimes.remove(new AckKey(settled.server(), settled.seq(), settled.requester()));
                    settledAtMs = Math.max(settledAtMs, acked == null ? settledAtMs : acked);
                }
                yield false;
            }
            case SERVICE_ACKNOWLEDGED -> {
                EventBody.ServiceAcknowledged a = (EventBody.ServiceAcknowledged) body;
                settled = matcher.acknowledged(e, a);
                if (settled == null) {
                    ackTimes.put(new AckKey(a.server(), a.proposalSeq(), e.author()), e.timestampMs());
                } else {
                    settledAtMs = Math.max(settledAtMs, settled.proposedAtMs());
                }
                yield false;
            }
            case EQUIVOCATION_OBSERVED -> graph.markEquivocator(((EventBody.EquivocationObserved) body).accused());
            case RATING -> rate(e.author(), (EventBody.Rating) body, e.timestampMs());
            case CAPABILITIES_ANNOUNCED, UNKNOWN -> false;
        };
        if (settled != null) {
            graph.add(settled, settledAtMs, clockMillis.getAsLong());
            return true;
        }
        return changed;
    }

    /**
     * A council's rating, as its asker (the event's author) recorded it: each member's mean rank
     * turned into a quality in [0, 1] (1 = always first, 0 = always last) over the positions a
     * reviewer could give (each reviewer ranks the other members' answers: 1 .. members − 1).
     * It only touches the author's own edges. A council of two carries no comparison and is skipped.
     */
    private boolean rate(NodeId asker, EventBody.Rating rating, long tsMs) {
        int positions = rating.members().size() - 1;
        if (positions < 2) {
            return false;
        }
        long ts = Math.min(tsMs, clockMillis.getAsLong());
        boolean changed = false;
        for (EventBody.RatedMember m : rating.members()) {
            double quality = (positions - m.averageRankMilli() / 1000.0) / (positions - 1);
            changed |= graph.rate(asker, m.member(), quality, ts);
        }
        return changed;
    }
}
