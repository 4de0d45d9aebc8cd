package org.council.ledger.store;

import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;

/** Two validly signed, different events by {@code accused} with the same seq. */
public record EquivocationProof(NodeId accused, long seq, SignedEvent first, SignedEvent second) {
}
