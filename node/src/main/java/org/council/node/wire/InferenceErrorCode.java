package org.council.node.wire;

/**
 * Why a remote inference job was refused or failed: {@code InferenceError.Code} of
 * {@code wire.proto}, mapped by its explicit number (never the enum's ordinal). A number this node
 * does not know decodes to {@link #UNKNOWN}, which is handled like a backend failure. Immutable.
 */
public enum InferenceErrorCode {
    /** A number this node does not know (a newer peer), or none sent. */
    UNKNOWN(0, false),
    /** Not signed by the session's peer, not addressed to the server, malformed, or not served at all. */
    REFUSED(1, false),
    /** Issued outside the freshness window of the server's clock. */
    STALE(2, false),
    /** The requester already asked for this job id. */
    REPLAYED(3, false),
    NO_SUCH_MODEL(4, false),
    /** The server's queue is full; the error's retry-after hints when to try again. */
    OVERLOADED(5, true),
    BACKEND_FAILED(6, false),
    CANCELLED(7, false),
    /** The requester's own verdict: the server did not finish in time. Never sent. */
    TIMEOUT(8, true),
    /** The requester's own verdict: no session with the server, or it closed. Never sent. */
    NOT_CONNECTED(9, true);

    private final int number;
    private final boolean retryable;

    InferenceErrorCode(int number, boolean retryable) {
        this.number = number;
        this.retryable = retryable;
    }

    /** The code's number on the wire. */
    public int number() {
        return number;
    }

    /** Whether the same request may succeed if sent again later. */
    public boolean retryable() {
        return retryable;
    }

    /** The code with this wire number; {@link #UNKNOWN} for a number this node does not know. */
    public static InferenceErrorCode forNumber(int number) {
        for (InferenceErrorCode c : values()) {
            if (c.number == number) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
