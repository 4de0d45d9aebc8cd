package org.council.ledger.projection;

import org.council.crypto.NodeId;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;

/**
 * Every projection of the ledger, as one pure {@code evolve(state, event)}: credits from
 * bilateral receipts, and the set of proven equivocators.
 *
 * <p>Credits: a proposal (server's half) and an acknowledgement (requester's half) settle by the
 * rule of {@link ReceiptSettlement} (the one karma uses too). On settlement the server earns and
 * the requester spends the proposal's credits, once, however many acknowledgements follow. A lone proposal counts as pending earnings.
 *
 * <p>Stateless and thread-safe; the {@link ProjectionState} passed in is not.
 */
public final class Projections {

    /** Bump when the meaning of the projection state changes; the store then rebuilds it on open. */
    public static final int VERSION = 2; // 2: credits counted at most the per-job cap, totals saturate

    private static final byte[] EMPTY = new byte[0];

    private Projections() {
    }

    /** Applies one validated event to the state; true when the event changed it. */
    public static boolean evolve(ProjectionState state, SignedEvent event) {
        EventBody body = event.body();
        // A switch expression over the kind is exhaustive: a new kind fails compilation here.
        boolean changed = switch (body.kind()) {
            case SERVICE_PROPOSED -> proposed(state, event, (EventBody.ServiceProposed) body);
            case SERVICE_ACKNOWLEDGED -> acknowledged(state, event, (EventBody.ServiceAcknowledged) body);
            case EQUIVOCATION_OBSERVED -> markEquivocator(state, ((EventBody.EquivocationObserved) body).accused());
            case CAPABILITIES_ANNOUNCED, RATING, UNKNOWN -> false;
        };
        return changed;
    }

    /** Marks an author as a proven equivocator (also used when the store detects a fork itself). */
    public static boolean markEquivocator(ProjectionState state, NodeId accused) {
        state.put(ProjectionKeys.equivocator(accused), EMPTY);
        return true;
    }

    public static boolean isEquivocator(ProjectionState state, NodeId id) {
        return state.get(ProjectionKeys.equivocator(id)) != null;
    }

    /** Key prefix of {@code server}'s proposals awaiting acknowledgement (layout: {@link ProjectionKeys}). */
    public static byte[] pendingProposalPrefix(NodeId server) {
        return ProjectionKeys.pendingProposalPrefix(server);
    }

    public static AccountTotals account(ProjectionState state, NodeId id) {
        return AccountTotals.decode(state.get(ProjectionKeys.account(id)));
    }

    private static boolean proposed(ProjectionState state, SignedEvent event, EventBody.ServiceProposed p) {
        ReceiptSettlement.Settled settled = ReceiptSettlement.proposed(new StateBook(state), event, p);
        if (settled != null) {
            settle(state, settled);
        } else {
            addTo(state, event.author(), AccountTotals.ZERO.plus(0, 0, Credits.countable(p.creditsMilli()), 0, 0));
        }
        return true;
    }

    private static boolean acknowledged(ProjectionState state, SignedEvent event, EventBody.ServiceAcknowledged a) {
        ReceiptSettlement.Settled settled = ReceiptSettlement.acknowledged(new StateBook(state), event, a);
        if (settled != null) {
            settle(state, settled);
        }
        return true;
    }

    private static void settle(ProjectionState state, ReceiptSettlement.Settled s) {
        long credits = s.creditsMilli();
        addTo(state, s.server(), AccountTotals.ZERO.plus(credits, 0, s.byAcknowledgement() ? -credits : 0, 1, 0));
        addTo(state, s.requester(), AccountTotals.ZERO.plus(0, credits, 0, 0, 1));
    }

    private static void addTo(ProjectionState state, NodeId id, AccountTotals delta) {
        byte[] key = ProjectionKeys.account(id);
        AccountTotals t = AccountTotals.decode(state.get(key)).plus(delta.earnedMilli(), delta.spentMilli(),
                delta.pendingEarnedMilli(), delta.servedJobs(), delta.requestedJobs());
        state.put(key, t.encode());
    }

    /** The unmatched halves of receipts, kept in the projection state under the keys of {@link ProjectionKeys}. */
    private record StateBook(ProjectionState state) implements ReceiptSettlement.PendingReceipts {

        @Override
        public ReceiptSettlement.Proposal proposal(NodeId server, long seq) {
            byte[] key = ProjectionKeys.pendingProposal(server, seq);
            byte[] value = state.get(key);
            if (value == null) {
                return null;
            }
            ProjectionKeys.PendingProposal p = ProjectionKeys.decodeProposal(key, value);
            return new ReceiptSettlement.Proposal(p.requester(), p.creditsMilli(), p.id(), p.job(), 0);
        }

        @Override
        public void putProposal(NodeId server, long seq, ReceiptSettlement.Proposal p) {
            state.put(ProjectionKeys.pendingProposal(server, seq),
                    ProjectionKeys.encodeProposal(p.requester(), p.creditsMilli(), p.id(), p.job()));
        }

        @Override
        public void removeProposal(NodeId server, long seq) {
            state.delete(ProjectionKeys.pendingProposal(server, seq));
        }

        @Override
        public boolean removeAck(ReceiptSettlement.Ack a) {
            byte[] key = ProjectionKeys.pendingAck(a.server(), a.seq(), a.requester(), a.proposalId(), a.job());
            if (state.get(key) == null) {
                return false;
            }
            state.delete(key);
            return true;
        }

        @Override
        public void putAck(ReceiptSettlement.Ack a) {
            state.put(ProjectionKeys.pendingAck(a.server(), a.seq(), a.requester(), a.proposalId(), a.job()), EMPTY);
        }

        @Override
        public boolean isSettled(NodeId server, long seq) {
            return state.get(ProjectionKeys.settled(server, seq)) != null;
        }

        @Override
        public void markSettled(NodeId server, long seq) {
            state.put(ProjectionKeys.settled(server, seq), EMPTY);
        }
    }
}
