package org.council.ledger.store.rocksdb;

import java.util.Arrays;
import java.util.Objects;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.Limits;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.Rejection;

/**
 * The order-dependent half of validation, shared by own appends and ingests: where does an event
 * go relative to its feed's head. Pure functions; thread-safe.
 */
final class FeedRules {

    private FeedRules() {
    }

    /**
     * Null when the event is the feed's next event; a rejection when it
     * cannot be placed; {@link #BEHIND} when the feed already has an event at that seq (the caller
     * then decides between duplicate and fork).
     */
    static IngestOutcome.Rejected place(SignedEvent e, FeedHead head) {
        IngestOutcome.Rejected oversize = oversize(e);
        if (oversize != null) {
            return oversize;
        }
        String problem = org.council.ledger.codec.EventCodec.authorBodyProblem(e.author(), e.body());
        if (problem != null) {
            return new IngestOutcome.Rejected(Rejection.MALFORMED, problem);
        }
        long headSeq = head == null ? 0 : head.seq();
        if (e.seq() <= headSeq) {
            return BEHIND;
        }
        if (e.seq() > headSeq + 1) {
            return new IngestOutcome.Rejected(Rejection.SEQ_GAP, "seq " + e.seq() + " but the feed of "
                    + e.author().shortHex() + " has " + headSeq + " events");
        }
        if (!Objects.equals(e.prev(), head == null ? null : head.id())) {
            return new IngestOutcome.Rejected(Rejection.PREV_MISMATCH, "prev of " + e + " is not the id of seq " + headSeq);
        }
        return null;
    }

    /**
     * Null when the event fits its size limit: {@link Limits#MAX_EVENT_BYTES}, or the tighter
     * {@link Limits#MAX_UNKNOWN_EVENT_BYTES} for a kind this version does not know.
     */
    static IngestOutcome.Rejected oversize(SignedEvent e) {
        if (e.size() > Limits.MAX_EVENT_BYTES) {
            return new IngestOutcome.Rejected(Rejection.OVERSIZE, e.size() + " bytes, limit " + Limits.MAX_EVENT_BYTES);
        }
        if (e.body() instanceof EventBody.Unknown u && e.size() > Limits.MAX_UNKNOWN_EVENT_BYTES) {
            return new IngestOutcome.Rejected(Rejection.OVERSIZE, e.size() + " bytes of unknown kind " + u.fieldNumber()
                    + ", limit " + Limits.MAX_UNKNOWN_EVENT_BYTES);
        }
        return null;
    }

    /** Marker for "an event already exists at this seq". */
    static final IngestOutcome.Rejected BEHIND = new IngestOutcome.Rejected(Rejection.DUPLICATE, "behind head");

    /** Same event, or the same signed payload under another (valid) signature. */
    static boolean sameContent(SignedEvent stored, SignedEvent offered) {
        return stored.id().equals(offered.id()) || Arrays.equals(stored.payloadUnsafe(), offered.payloadUnsafe());
    }
}
