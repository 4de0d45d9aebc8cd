package org.council.ledger.reputation;

import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.ReceiptSettlement;
import org.council.ledger.projection.UnmatchedHalves;

/**
 * Pairs the two halves of receipts in memory by the one settlement rule,
 * {@link ReceiptSettlement} (the credit projection uses the same rule over its key-value state),
 * keeping only unmatched halves ({@link UnmatchedHalves}).
 *
 * <p>Not thread-safe: confined to the karma engine's graph thread.
 */
final class ReceiptMatcher {

    private final UnmatchedHalves halves = new UnmatchedHalves();

    /** The receipt {@code event} settles, or null. */
    ReceiptSettlement.Settled proposed(SignedEvent event, EventBody.ServiceProposed p) {
        return ReceiptSettlement.proposed(halves, event, p);
    }

    /** The receipt {@code event} settles, or null. */
    ReceiptSettlement.Settled acknowledged(SignedEvent event, EventBody.ServiceAcknowledged a) {
        return ReceiptSettlement.acknowledged(halves, event, a);
    }

    int pending() {
        return halves.pending();
    }
}
