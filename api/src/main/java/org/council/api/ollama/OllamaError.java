package org.council.api.ollama;

import java.time.Duration;
import org.council.bridge.BridgeException;
import org.council.bridge.UnsupportedFeatureException;

/**
 * A failure answered in Ollama's shape: an HTTP status and {@code {"error":"<message>"}}.
 * Immutable.
 */
final class OllamaError extends RuntimeException {

    private final int status;
    private final transient Duration retryAfter;

    OllamaError(int status, String message) {
        this(status, message, null);
    }

    private OllamaError(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    static OllamaError badRequest(String message) {
        return new OllamaError(400, message);
    }

    /** Ollama's words for a model it does not have. */
    static OllamaError modelNotFound(String model) {
        return new OllamaError(404, "model \"" + model + "\" not found, try pulling it first");
    }

    /**
     * Maps a failed job to Ollama's statuses: an unknown model is 404, a full queue or a busy
     * backend 503 (retryable, as Ollama's "server busy"), everything else 500.
     */
    static OllamaError from(Throwable t, String model) {
        if (t instanceof OllamaError e) {
            return e;
        }
        if (t instanceof UnsupportedFeatureException u) {
            return badRequest(u.getMessage());
        }
        if (t instanceof BridgeException b) {
            return switch (b.code()) {
                case NO_SUCH_MODEL -> modelNotFound(model);
                case OVERLOADED, BACKEND_BUSY -> new OllamaError(503, "server busy, please try again: "
                        + b.getMessage(), b.retryAfter().orElse(null));
                default -> new OllamaError(500, b.getMessage());
            };
        }
        return new OllamaError(500, String.valueOf(t.getMessage() == null ? t : t.getMessage()));
    }

    int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header, or -1 when there is no hint. */
    long retryAfterSeconds() {
        return retryAfter == null ? -1 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
