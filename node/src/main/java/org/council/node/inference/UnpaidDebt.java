package org.council.node.inference;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.PendingReceipt;

/**
 * What each requester owes this node: its proposals the requester has not acknowledged, older than
 * {@link #GRACE_MS} (an honest acknowledgement arrives within seconds). It lowers the requester's
 * scheduler weight here ({@link #weigh}): a requester that leaves claims unpaid is served later.
 *
 * <p>Kept current from the ledger's commits (the writer thread only adds to concurrent maps);
 * read from any thread. Thread-safe. An acknowledgement clears a debt only when it names the
 * proposal's seq, id and job and is authored by the proposal's requester, as settlement does.
 */
public final class UnpaidDebt {

    /** Unpaid claims younger than this do not count yet: the acknowledgement may be on its way. */
    public static final long GRACE_MS = 60_000;
    /** Debt at which a requester's weight halves, in milli-credits (10 credits). */
    public static final long HALVING_MILLI = 10_000;

    private record Owed(long creditsMilli, long proposedMs, EventId id, JobId job) {
    }

    private final NodeId self;
    private final LongSupplier clockMillis;
    private final Map<NodeId, Map<Long, Owed>> owed = new ConcurrentHashMap<>();

    public UnpaidDebt(NodeId self, LedgerStore store, LongSupplier clockMillis) {
        this.self = self;
        this.clockMillis = clockMillis;
        store.onCommitted(this::observe);
        for (PendingReceipt p : store.unpaid(self)) {
            // timestamps and ids are not in the projection: read the proposal itself (startup only)
            store.event(self, p.seq()).ifPresent(this::observe);
        }
    }

    private void observe(List<SignedEvent> events) {
        events.forEach(this::observe);
    }

    private void observe(SignedEvent e) {
        if (e.author().equals(self) && e.body() instanceof EventBody.ServiceProposed p) {
            owed.computeIfAbsent(p.requester(), k -> new ConcurrentHashMap<>()).put(e.seq(),
                    new Owed(Credits.countable(p.creditsMilli()), e.timestampMs(), e.id(), p.jobId()));
        } else if (e.body() instanceof EventBody.ServiceAcknowledged a && a.server().equals(self)) {
            Map<Long, Owed> mine = owed.get(e.author());
            Owed o = mine == null ? null : mine.get(a.proposalSeq());
            if (o != null && o.id().equals(a.proposalId()) && o.job().equals(a.jobId())) {
                mine.remove(a.proposalSeq());
            }
        }
    }

    /** Milli-credits {@code requester} owes this node for claims older than the grace period. */
    public long debtMilli(NodeId requester) {
        Map<Long, Owed> mine = owed.get(requester);
        if (mine == null) {
            return 0;
        }
        long horizon = clockMillis.getAsLong() - GRACE_MS;
        long sum = 0;
        for (Owed o : mine.values()) {
            if (o.proposedMs() <= horizon) {
                sum = Math.min(Long.MAX_VALUE / 2, sum + o.creditsMilli()); // counts are capped per job
            }
        }
        return sum;
    }

    /**
     * A requester's scheduler weight after its debt: {@code karma · H / (H + debt)} with
     * {@code H = HALVING_MILLI}. The scheduler clamps the result to its floor, so debt can take a
     * peer down to a stranger's weight, not below.
     */
    public double weigh(double karma, NodeId requester) {
        long debt = debtMilli(requester);
        return debt == 0 ? karma : karma * HALVING_MILLI / (double) (HALVING_MILLI + debt);
    }
}
