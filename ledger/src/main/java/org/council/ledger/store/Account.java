package org.council.ledger.store;

import org.council.crypto.NodeId;

/**
 * One account as this node's ledger sees it, in thousandths of a credit. Earned and spent count
 * settled receipts only (both halves signed); pending counts lone proposals.
 */
public record Account(NodeId id, long earnedMilli, long spentMilli, long pendingEarnedMilli,
                      long servedJobs, long requestedJobs, boolean equivocator) {

    public long balanceMilli() {
        return earnedMilli - spentMilli;
    }
}
