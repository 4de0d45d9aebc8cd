package org.council.ledger.projection;

import org.council.crypto.NodeId;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;

/**
 * The one rule for when the two halves of a receipt settle, used by the credit projection
 * ({@link Projections}) and by the karma engine's graph.
 *
 * <p>A proposal (the server's half) and an acknowledgement (the requester's half) settle when they
 * agree on server, proposal seq, requester, proposal id and job id, in whichever order they
 * arrive. A receipt settles at most once: a settled proposal leaves the pending set, and an
 * acknowledgement of an already settled receipt settles nothing. A proposal counts for at most the
 * per-job cap ({@link Credits#countable}), whatever credits it claims, so no sum of receipts overflows.
 *
 * <p>Where the unmatched halves are kept is the caller's choice ({@link PendingReceipts}): the
 * projection keeps them in its key-value state, karma in memory. Stateless and thread-safe; the
 * {@link PendingReceipts} passed in is not.
 */
public final class ReceiptSettlement {

    /** A proposal waiting for its acknowledgement. {@code proposedAtMs} is 0 where the book does not keep it. */
    public record Proposal(NodeId requester, long creditsMilli, EventId id, JobId job, long proposedAtMs) {
    }

    /** An acknowledgement waiting for its proposal: exactly the fields a proposal must match. */
    public record Ack(NodeId server, long seq, NodeId requester, EventId proposalId, JobId job) {
    }

    /**
     * A settled receipt: {@code requester} received {@code creditsMilli} of service from {@code server}
     * (proposal {@code seq}); {@code byAcknowledgement} when the acknowledgement came second, so the
     * proposal had been pending.
     */
    public record Settled(NodeId requester, NodeId server, long seq, long creditsMilli, long proposedAtMs,
                          boolean byAcknowledgement) {
    }

    /**
     * Storage of unmatched halves. Not thread-safe: used by one thread at a time.
     */
    public interface PendingReceipts {

        /** The pending proposal of {@code server} at {@code seq}, or null. */
        Proposal proposal(NodeId server, long seq);

        void putProposal(NodeId server, long seq, Proposal proposal);

        void removeProposal(NodeId server, long seq);

        /** Removes a pending acknowledgement; true when it was there. */
        boolean removeAck(Ack ack);

        void putAck(Ack ack);

        /**
         * True when the receipt of {@code server} at {@code seq} settled. A book may answer false
         * if it does not remember settled receipts: a repeated acknowledgement then waits as an
         * unmatched half that can never match (the proposal it names was consumed), which settles
         * nothing either.
         */
        boolean isSettled(NodeId server, long seq);

        void markSettled(NodeId server, long seq);
    }

    private ReceiptSettlement() {
    }

    /** Records the proposal {@code event}; the receipt it settles, or null when it now waits. */
    public static Settled proposed(PendingReceipts book, SignedEvent event, EventBody.ServiceProposed p) {
        NodeId server = event.author();
        long credits = Credits.countable(p.creditsMilli());
        if (book.removeAck(new Ack(server, event.seq(), p.requester(), event.id(), p.jobId()))) {
            book.markSettled(server, event.seq());
            return new Settled(p.requester(), server, event.seq(), credits, event.timestampMs(), false);
        }
        book.putProposal(server, event.seq(),
                new Proposal(p.requester(), credits, event.id(), p.jobId(), event.timestampMs()));
        return null;
    }

    /**
     * Records the acknowledgement {@code event}; the receipt it settles, or null when it now waits
     * or repeats an acknowledgement already settled.
     */
    public static Settled acknowledged(PendingReceipts book, SignedEvent event, EventBody.ServiceAcknowledged a) {
        NodeId requester = event.author();
        if (book.isSettled(a.server(), a.proposalSeq())) {
            return null; // a repeated acknowledgement settles nothing twice
        }
        Proposal p = book.proposal(a.server(), a.proposalSeq());
        if (p != null && p.requester().equals(requester) && p.id().equals(a.proposalId()) && p.job().equals(a.jobId())) {
            book.removeProposal(a.server(), a.proposalSeq());
            book.markSettled(a.server(), a.proposalSeq());
            return new Settled(requester, a.server(), a.proposalSeq(), p.creditsMilli(), p.proposedAtMs(), true);
        }
        book.putAck(new Ack(a.server(), a.proposalSeq(), requester, a.proposalId(), a.jobId()));
        return null;
    }
}
