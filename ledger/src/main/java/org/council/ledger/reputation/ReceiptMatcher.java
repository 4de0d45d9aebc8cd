package org.council.ledger.reputation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.ReceiptSettlement;

/**
 * Pairs the two halves of receipts in memory by the one settlement rule,
 * {@link ReceiptSettlement} (the credit projection uses the same rule over its key-value state).
 *
 * <p>It keeps only unmatched halves, not settled receipts, so its memory follows the pending
 * work rather than the whole history: a repeated acknowledgement then waits forever, matching
 * nothing, because the proposal it names was consumed when it settled.
 *
 * <p>Not thread-safe: confined to the karma engine's graph thread.
 */
final class ReceiptMatcher implements ReceiptSettlement.PendingReceipts {

    private record Slot(NodeId server, long seq) {
    }

    private final Map<Slot, ReceiptSettlement.Proposal> pendingProposals = new HashMap<>();
    private final Set<ReceiptSettlement.Ack> pendingAcks = new HashSet<>();

    /** The receipt {@code event} settles, or null. */
    ReceiptSettlement.Settled proposed(SignedEvent event, EventBody.ServiceProposed p) {
        return ReceiptSettlement.proposed(this, event, p);
    }

    /** The receipt {@code event} settles, or null. */
    ReceiptSettlement.Settled acknowledged(SignedEvent event, EventBody.ServiceAcknowledged a) {
        return ReceiptSettlement.acknowledged(this, event, a);
    }

    int pending() {
        return pendingProposals.size() + pendingAcks.size();
    }

    @Override
    public ReceiptSettlement.Proposal proposal(NodeId server, long seq) {
        return pendingProposals.get(new Slot(server, seq));
    }

    @Override
    public void putProposal(NodeId server, long seq, ReceiptSettlement.Proposal proposal) {
        pendingProposals.put(new Slot(server, seq), proposal);
    }

    @Override
    public void removeProposal(NodeId server, long seq) {
        pendingProposals.remove(new Slot(server, seq));
    }

    @Override
    public boolean removeAck(ReceiptSettlement.Ack ack) {
        return pendingAcks.remove(ack);
    }

    @Override
    public void putAck(ReceiptSettlement.Ack ack) {
        pendingAcks.add(ack);
    }

    @Override
    public boolean isSettled(NodeId server, long seq) {
        return false; // settled receipts are not remembered (see the class comment)
    }

    @Override
    public void markSettled(NodeId server, long seq) {
        // settled receipts are not remembered (see the class comment)
    }
}
