package org.council.ledger.event;

import org.council.crypto.NodeId;

/** The newest event of a feed: its seq, id and timestamp. */
public record FeedHead(NodeId author, long seq, EventId id, long timestampMs) {
}
