package org.council.bridge;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one unchecked exception of the inference bridge: every failed future of this module fails
 * with it. It carries a stable {@link ErrorCode}, whether a retry may succeed, and for
 * {@link ErrorCode#OVERLOADED} a retry-after hint. Immutable.
 */
public class BridgeException extends RuntimeException {

    private final ErrorCode code;
    private final transient Duration retryAfter;

    public BridgeException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public BridgeException(ErrorCode code, String message, Duration retryAfter, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = retryAfter;
    }

    public static BridgeException overloaded(String message, Duration retryAfter) {
        return new BridgeException(ErrorCode.OVERLOADED, message, retryAfter, null);
    }

    public static BridgeException cancelled() {
        return new BridgeException(ErrorCode.CANCELLED, "request cancelled");
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /** How long to wait before retrying, when the bridge can tell. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
