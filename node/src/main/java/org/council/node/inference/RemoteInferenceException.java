package org.council.node.inference;

import java.time.Duration;
import java.util.Optional;

/** A remote job failed; {@code code} is the wire error code (NO_SUCH_MODEL, OVERLOADED, TIMEOUT, ...). */
public class RemoteInferenceException extends RuntimeException {

    private final String code;
    private final Duration retryAfter;

    public RemoteInferenceException(String code, String detail, Duration retryAfter) {
        super(code + ": " + detail);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public String code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean retryable() {
        return code.equals("OVERLOADED") || code.equals("TIMEOUT") || code.equals("NOT_CONNECTED");
    }
}
