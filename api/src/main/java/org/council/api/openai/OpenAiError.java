package org.council.api.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.council.bridge.BridgeException;
import org.council.bridge.UnsupportedFeatureException;

/**
 * A failure answered in OpenAI's shape: an HTTP status and
 * {@code {"error":{"message","type","param","code"}}}, which OpenAI's clients turn into their typed
 * errors ({@code BadRequestError}, {@code NotFoundError}, {@code RateLimitError}, ...). Immutable.
 */
final class OpenAiError extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final transient Duration retryAfter;

    OpenAiError(int status, String type, String message, String param, String code, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** A 400 about one request field ({@code param}, may be null). */
    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, INVALID_REQUEST, message, param, null, null);
    }

    /** A field whose effect this node cannot produce: refused, never ignored. */
    static OpenAiError unsupported(String param, String what) {
        return new OpenAiError(400, INVALID_REQUEST, what + " is not supported by this Council node", param,
                "unsupported_parameter", null);
    }

    static OpenAiError modelNotFound(String model) {
        return new OpenAiError(404, INVALID_REQUEST, "The model '" + model + "' does not exist", "model",
                "model_not_found", null);
    }

    /** OpenAI's words for a path or method it does not serve. */
    static OpenAiError invalidUrl(String method, String path) {
        return new OpenAiError(404, INVALID_REQUEST, "Invalid URL (" + method + " " + path + ")", null, null, null);
    }

    /**
     * Maps a failed job: an unknown model is 404; a full queue here is 429 and a busy or unreachable
     * backend 503, both with {@code Retry-After} when the bridge gives a hint (OpenAI's clients retry
     * them); a timeout 504; everything else 500.
     */
    static OpenAiError from(Throwable t, String model) {
        if (t instanceof OpenAiError e) {
            return e;
        }
        if (t instanceof UnsupportedFeatureException u) {
            return new OpenAiError(400, "invalid_request_error", u.getMessage(), null, "unsupported_parameter", null);
        }
        if (t instanceof BridgeException b) {
            Duration after = b.retryAfter().orElse(null);
            return switch (b.code()) {
                case NO_SUCH_MODEL -> modelNotFound(model);
                case OVERLOADED -> new OpenAiError(429, "rate_limit_error", "This Council node's queue is full, "
                        + "please try again: " + b.getMessage(), null, "rate_limit_exceeded", after);
                case BACKEND_BUSY, BACKEND_UNREACHABLE -> new OpenAiError(503, SERVER_ERROR,
                        "The model's server is busy or unreachable, please try again: " + b.getMessage(), null,
                        "server_overloaded", after);
                case TIMEOUT -> new OpenAiError(504, SERVER_ERROR, b.getMessage(), null, "timeout", after);
                default -> new OpenAiError(500, SERVER_ERROR, b.getMessage(), null, null, null);
            };
        }
        return new OpenAiError(500, SERVER_ERROR, String.valueOf(t.getMessage() == null ? t : t.getMessage()),
                null, null, null);
    }

    int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header, or -1 when there is no hint. */
    long retryAfterSeconds() {
        return retryAfter == null ? -1 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The body: {@code {"error":{...}}}, also sent as a server-sent event when a stream fails. */
    ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode e = o.putObject("error").put("message", getMessage()).put("type", type);
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return o;
    }
}
