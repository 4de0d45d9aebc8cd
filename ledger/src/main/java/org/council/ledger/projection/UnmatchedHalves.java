package org.council.ledger.projection;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;

/**
 * The unmatched receipt halves in memory, for readers that pair receipts by
 * {@link ReceiptSettlement}'s rule without the projections' key-value state (karma's graph, the
 * replication scope). Settled receipts are not remembered, so memory follows the pending work
 * rather than the whole history: a repeated acknowledgement then waits forever, matching nothing,
 * because the proposal it names was consumed when it settled.
 *
 * <p>Not thread-safe: confined to its owner's thread.
 */
public final class UnmatchedHalves implements ReceiptSettlement.PendingReceipts {

    private record Slot(NodeId server, long seq) {
    }

    private final Map<Slot, ReceiptSettlement.Proposal> proposals = new HashMap<>();
    private final Set<ReceiptSettlement.Ack> acks = new HashSet<>();

    /** Halves waiting for their other half. */
    public int pending() {
        return proposals.size() + acks.size();
    }

    @Override
    public ReceiptSettlement.Proposal proposal(NodeId server, long seq) {
        return proposals.get(new Slot(server, seq));
    }

    @Override
    public void putProposal(NodeId server, long seq, ReceiptSettlement.Proposal proposal) {
        proposals.put(new Slot(server, seq), proposal);
    }

    @Override
    public void removeProposal(NodeId server, long seq) {
        proposals.remove(new Slot(server, seq));
    }

    @Override
    public boolean removeAck(ReceiptSettlement.Ack ack) {
        return acks.remove(ack);
    }

    @Override
    public void putAck(ReceiptSettlement.Ack ack) {
        acks.add(ack);
    }

    @Override
    public boolean isSettled(NodeId server, long seq) {
        return false; // settled receipts are not remembered
    }

    @Override
    public void markSettled(NodeId server, long seq) {
        // settled receipts are not remembered
    }
}
