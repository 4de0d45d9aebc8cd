package org.council.ledger.store;

import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;

/**
 * What happened to one event offered to the ledger. Expected outcomes are values, not exceptions:
 * the ledger says what is wrong; the caller (the peer layer) decides what to do about it.
 */
public sealed interface IngestOutcome {

    /** The event is durable and part of its feed. */
    record Accepted(SignedEvent event) implements IngestOutcome {
    }

    /** The event was refused and nothing changed. */
    record Rejected(Rejection reason, String detail) implements IngestOutcome {
        @Override
        public String toString() {
            return reason + ": " + detail;
        }
    }

    /**
     * The event is validly signed but its author already has a different event at this seq. The
     * first time an author is caught, the pair is stored as an equivocation proof, the author is
     * marked, and the proof is appended to this node's own feed so it replicates; later forks of a
     * proven equivocator are neither stored nor published again. The feed keeps the first version.
     */
    record ForkDetected(NodeId accused, long seq) implements IngestOutcome {
    }

    default boolean accepted() {
        return this instanceof Accepted;
    }
}
