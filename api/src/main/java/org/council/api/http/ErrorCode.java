package org.council.api.http;

/**
 * The one table of stable API error codes and the HTTP status each maps to. Clients may switch on
 * {@link #name()}; a shipped code never changes meaning or status. The JSON body of every error is
 * {@code {"error":{"code":"...","message":"..."}}}. Immutable.
 */
public enum ErrorCode {
    /** Malformed input: a bad hex id, a non-numeric or out-of-range query parameter. */
    BAD_REQUEST(400),
    /** The id or route is well-formed but nothing is known under it. */
    NOT_FOUND(404),
    /** An acting endpoint was called without the node's bearer token, or with a wrong one. */
    UNAUTHORIZED(401),
    /**
     * The request's {@code Host} does not name this machine while the API listens on loopback: a
     * page using DNS rebinding to reach the API from the operator's browser.
     */
    FORBIDDEN(403),
    /** The route exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED(405),
    /** The request body exceeds the endpoint's limit. */
    PAYLOAD_TOO_LARGE(413),
    /** The request body is not JSON. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The ledger could not be read (closed or failing); retrying later may succeed. */
    UNAVAILABLE(503),
    /** No council could be formed (no local model and no connected peer that announced one). */
    NO_COUNCIL(503),
    /** The request could not be served in time (a council stage or a model call timed out). */
    TIMEOUT(504),
    /** A bug on our side. The body never carries a stack trace or exception text. */
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The code for a status Vert.x Web set itself (e.g. on an unmatched route); INTERNAL if none. */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) {
            if (c.httpStatus == status) {
                return c;
            }
        }
        return status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
    }
}
