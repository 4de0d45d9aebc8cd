package org.council.ledger.reputation;

import org.council.crypto.NodeId;

/**
 * One peer's standing as computed at one moment: its karma (scheduler weight), its raw trust
 * share, its balance in thousandths of a credit (earned minus spent over settled receipts, not
 * decayed) and whether it is a proven equivocator. Immutable.
 */
public record Ranked(NodeId id, double karma, double trust, long balanceMilli, boolean equivocator) {
}
