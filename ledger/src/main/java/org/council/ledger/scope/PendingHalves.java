package org.council.ledger.scope;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.projection.ReceiptSettlement;

/**
 * The unmatched receipt halves the scope has seen, for {@link ReceiptSettlement}. Like karma's
 * matcher it forgets settled receipts, so its memory follows pending work. Not thread-safe.
 */
final class PendingHalves implements ReceiptSettlement.PendingReceipts {

    private record Slot(NodeId server, long seq) {
    }

    private final Map<Slot, ReceiptSettlement.Proposal> proposals = new HashMap<>();
    private final Set<ReceiptSettlement.Ack> acks = new HashSet<>();

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
