package org.council.bridge.http;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;

/**
 * Maps HTTP statuses, error bodies and transport exceptions of model servers to
 * {@link BridgeException}s. Stateless and thread-safe.
 */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** The error for a non-2xx answer; {@code body} is the response body (maybe JSON). */
    public static BridgeException fromStatus(String backend, String model, int status, String body) {
        String message = errorMessage(body);
        String where = backend + " answered HTTP " + status + ": " + message;
        if (status == 503 || status == 429) {
            return new BridgeException(ErrorCode.BACKEND_BUSY, where);
        }
        if (status == 404 && message.contains("not found")) {
            return new BridgeException(ErrorCode.NO_SUCH_MODEL,
                    "model '" + model + "' not found on " + backend + " (" + message + ")");
        }
        return new BridgeException(ErrorCode.BACKEND_ERROR, where);
    }

    /** The error for a failure of the exchange itself (connection, timeout, closed stream). */
    public static BridgeException fromThrowable(String backend, Throwable t) {
        if (t instanceof BridgeException b) {
            return b;
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException) {
            return new BridgeException(ErrorCode.BACKEND_UNREACHABLE,
                    backend + " unreachable: " + t.getMessage(), null, t);
        }
        if (t instanceof TimeoutException) {
            return new BridgeException(ErrorCode.TIMEOUT, backend + " timed out: " + t.getMessage(), null, t);
        }
        if (t instanceof HttpClosedException || t instanceof ClosedChannelException
                || (t instanceof VertxException && String.valueOf(t.getMessage()).contains("closed"))) {
            return new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " closed the connection before the answer was complete", null, t);
        }
        return new BridgeException(ErrorCode.BACKEND_ERROR, backend + " failed: " + t, null, t);
    }

    /**
     * The error text of an error body: Ollama's {@code {"error":"..."}}, OpenAI's
     * {@code {"error":{"message":"..."}}}, or the raw text (shortened).
     */
    public static String errorMessage(String body) {
        String trimmed = body == null ? "" : body.trim();
        if (trimmed.startsWith("{")) {
            try {
                Object error = new JsonObject(trimmed).getValue("error");
                if (error instanceof String s) {
                    return s;
                }
                if (error instanceof JsonObject o && o.getValue("message") instanceof String s) {
                    return s;
                }
            } catch (DecodeException e) {
                // not JSON after all: fall through to the raw text
            }
        }
        return trimmed.length() > 300 ? trimmed.substring(0, 300) + "..." : trimmed;
    }
}
