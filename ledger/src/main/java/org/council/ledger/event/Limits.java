package org.council.ledger.event;

/** Hard limits every event must respect; part of the ledger format (docs/ledger-format.md). */
public final class Limits {

    /** Largest signed envelope accepted, in bytes (checked before parsing). */
    public static final int MAX_EVENT_BYTES = 64 * 1024;
    /**
     * Largest signed envelope of a kind this version does not know, in bytes. Such events are
     * stored and forwarded but mean nothing here, so they get less room than the known kinds: a
     * stranger cannot make every node hold 64 KiB blobs of no use.
     */
    public static final int MAX_UNKNOWN_EVENT_BYTES = 4 * 1024;
    /** Longest model, GPU or address string, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 256;
    /** Most models in one capabilities announcement. */
    public static final int MAX_MODELS = 256;
    /** Most members in one rating. */
    public static final int MAX_RATED_MEMBERS = 64;
    /** How far ahead of the receiver's clock an event's timestamp may be, in milliseconds. */
    public static final long DEFAULT_MAX_CLOCK_SKEW_MS = 10 * 60 * 1000L;

    private Limits() {
    }
}
