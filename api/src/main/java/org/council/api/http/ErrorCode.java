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
    /** The route exists but not for this HTTP method (the API is read-only: GET only). */
    METHOD_NOT_ALLOWED(405),
    /** The ledger could not be read (closed or failing); retrying later may succeed. */
    UNAVAILABLE(503),
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
