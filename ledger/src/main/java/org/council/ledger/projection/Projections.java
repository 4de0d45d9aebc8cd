package org.council.ledger.projection;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.SignedEvent;

/**
 * Every projection of the ledger, as one pure {@code evolve(state, event)}: credits from
 * bilateral receipts, and the set of proven equivocators.
 *
 * <p>Credits: a proposal (server's half) and an acknowledgement (requester's half) settle when
 * both are present and agree on server, seq, requester, proposal id and job id, in whichever
 * order they arrive. On settlement the server earns and the requester spends the proposal's
 * credits, once, however many acknowledgements follow. A lone proposal counts as pending earnings.
 *
 * <p>Stateless and thread-safe; the {@link ProjectionState} passed in is not.
 */
public final class Projections {

    /** Bump when the meaning of the projection state changes; the store then rebuilds it on open. */
    public static final int VERSION = 1;

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

    /** Key prefix of {@code server}'s proposals awaiting acknowledgement; values: requester(32) credits(8) id(32) job(16). */
    public static byte[] pendingProposalPrefix(NodeId server) {
        return java.util.Arrays.copyOf(ProjectionKeys.pendingProposal(server, 0), 1 + NodeId.LENGTH);
    }

    public static AccountTotals account(ProjectionState state, NodeId id) {
        return AccountTotals.decode(state.get(ProjectionKeys.account(id)));
    }

    private static boolean proposed(ProjectionState state, SignedEvent event, EventBody.ServiceProposed p) {
        NodeId server = event.author();
        byte[] ackKey = ProjectionKeys.pendingAck(server, event.seq(), p.requester(), event.id(), p.jobId());
        if (state.get(ackKey) != null) {
            state.delete(ackKey);
            settle(state, server, event.seq(), p.requester(), p.creditsMilli(), false);
        } else {
            state.put(ProjectionKeys.pendingProposal(server, event.seq()), encodeProposal(event, p));
            addTo(state, server, AccountTotals.ZERO.plus(0, 0, p.creditsMilli(), 0, 0));
        }
        return true;
    }

    private static boolean acknowledged(ProjectionState state, SignedEvent event, EventBody.ServiceAcknowledged a) {
        NodeId requester = event.author();
        if (state.get(ProjectionKeys.settled(a.server(), a.proposalSeq())) != null) {
            return true; // a repeated acknowledgement settles nothing twice
        }
        byte[] proposalKey = ProjectionKeys.pendingProposal(a.server(), a.proposalSeq());
        byte[] proposal = state.get(proposalKey);
        if (proposal != null && matches(proposal, requester, a)) {
            state.delete(proposalKey);
            settle(state, a.server(), a.proposalSeq(), requester, ByteBuffer.wrap(proposal).getLong(32), true);
        } else {
            state.put(ProjectionKeys.pendingAck(a.server(), a.proposalSeq(), requester, a.proposalId(), a.jobId()),
                    EMPTY);
        }
        return true;
    }

    private static void settle(ProjectionState state, NodeId server, long seq, NodeId requester, long credits,
                               boolean wasPending) {
        state.put(ProjectionKeys.settled(server, seq), EMPTY);
        addTo(state, server, AccountTotals.ZERO.plus(credits, 0, wasPending ? -credits : 0, 1, 0));
        addTo(state, requester, AccountTotals.ZERO.plus(0, credits, 0, 0, 1));
    }

    private static void addTo(ProjectionState state, NodeId id, AccountTotals delta) {
        byte[] key = ProjectionKeys.account(id);
        AccountTotals t = AccountTotals.decode(state.get(key)).plus(delta.earnedMilli(), delta.spentMilli(),
                delta.pendingEarnedMilli(), delta.servedJobs(), delta.requestedJobs());
        state.put(key, t.encode());
    }

    // proposal value: requester(32) credits(8) proposalId(32) jobId(16)
    private static byte[] encodeProposal(SignedEvent event, EventBody.ServiceProposed p) {
        return ByteBuffer.allocate(32 + 8 + 32 + 16).put(p.requester().bytes()).putLong(p.creditsMilli())
                .put(event.id().bytes()).put(p.jobId().bytes()).array();
    }

    private static boolean matches(byte[] proposal, NodeId requester, EventBody.ServiceAcknowledged a) {
        return Arrays.equals(proposal, 0, 32, requester.bytes(), 0, 32)
                && Arrays.equals(proposal, 40, 72, a.proposalId().bytes(), 0, EventId.LENGTH)
                && Arrays.equals(proposal, 72, 88, a.jobId().bytes(), 0, 16);
    }
}
