package org.council.ledger.store;

/** Why the ledger refused an event. A rejected event changes nothing. */
public enum Rejection {
    /** The signature does not verify against the author's key over the domain-prefixed payload. */
    BAD_SIGNATURE,
    /** The author is not a valid Ed25519 key, or not the feed the event was offered for. */
    WRONG_AUTHOR,
    /** The seq is beyond the feed's head + 1: earlier events are missing. */
    SEQ_GAP,
    /** The seq is head + 1 but prev is not the id of the head. */
    PREV_MISMATCH,
    /** The event (or the same payload) is already stored. */
    DUPLICATE,
    /** The envelope is larger than the limit; checked before parsing. */
    OVERSIZE,
    /** The bytes are not a well-formed event (envelope, payload or body). */
    MALFORMED,
    /** The timestamp is further ahead of this node's clock than the allowed skew. */
    CLOCK_AHEAD,
    /**
     * The event would start a feed this node does not hold while it holds as many feeds as it is
     * configured to ({@link LedgerConfig#maxFeeds()}); refused before its signature is checked.
     */
    FEED_LIMIT
}
