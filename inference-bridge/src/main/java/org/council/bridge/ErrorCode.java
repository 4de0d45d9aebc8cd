package org.council.bridge;

/** Stable error codes of the inference bridge; the API maps them to HTTP statuses. */
public enum ErrorCode {
    /** The node's queue is full (globally or for this requester); retry after the hint. */
    OVERLOADED(true),
    /** No backend serves the requested model. */
    NO_SUCH_MODEL(false),
    /** The backend said it is busy (Ollama's 503 "server busy"). */
    BACKEND_BUSY(true),
    /** The backend could not be reached (connection refused, DNS, ...). */
    BACKEND_UNREACHABLE(true),
    /** No answer, or the stream stalled, within the configured time. */
    TIMEOUT(true),
    /** The backend answered with an error (HTTP error status, error line mid-stream, bad body). */
    BACKEND_ERROR(false),
    /** The request was cancelled by its requester. */
    CANCELLED(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same request may succeed if sent again later. */
    public boolean retryable() {
        return retryable;
    }
}
