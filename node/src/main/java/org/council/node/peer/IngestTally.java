package org.council.node.peer;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.council.ledger.store.IngestOutcome;
import org.council.node.wire.WireMessage;

/**
 * What the ledger's outcomes for one batch a peer sent say about that peer: events it already had
 * (against its duplicate budget), signature checks that ended in nothing (against its unpaid
 * budget), or a fault that ends the session with a ban. Stateless.
 *
 * @param duplicates events this node already held
 * @param unpaid     checks for nothing: forks, mismatched or future events, gaps after an eviction
 * @param fault      the reason to ban the peer, or null
 * @param detail     what the fault was
 */
record IngestTally(int duplicates, int unpaid, WireMessage.Reason fault, String detail) {

    /** {@code recentlyEvicted}: whether this node evicted the batch's feed at its cap (the peer could not know). */
    static IngestTally of(List<IngestOutcome> outcomes, BooleanSupplier recentlyEvicted) {
        int dups = 0;
        int unpaid = 0;
        for (IngestOutcome o : outcomes) {
            if (o instanceof IngestOutcome.Rejected r) {
                switch (r.reason()) {
                    case DUPLICATE -> dups++;
                    // a fork relayed in good faith, or the author's clock: no fault, but checked for nothing: budgeted
                    case PREV_MISMATCH, CLOCK_AHEAD -> unpaid++;
                    case FEED_LIMIT -> { } // this node holds as many feeds as it will: refused before any signature check
                    case SEQ_GAP -> {
                        if (!recentlyEvicted.getAsBoolean()) {
                            return new IngestTally(dups, unpaid, WireMessage.Reason.PROTOCOL_VIOLATION,
                                    "sent a feed out of order: " + r);
                        }
                        unpaid++;
                    }
                    case BAD_SIGNATURE, WRONG_AUTHOR, MALFORMED, OVERSIZE -> {
                        return new IngestTally(dups, unpaid, WireMessage.Reason.INVALID_EVENT, r.toString());
                    }
                }
            } else if (o instanceof IngestOutcome.ForkDetected) {
                unpaid++; // the first proof per author is published; every further fork is checked for nothing
            }
        }
        return new IngestTally(dups, unpaid, null, null);
    }
}
