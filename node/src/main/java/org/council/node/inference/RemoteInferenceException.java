package org.council.node.inference;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.council.node.wire.InferenceErrorCode;

/** A remote job failed; {@code code} is the wire error code (NO_SUCH_MODEL, OVERLOADED, TIMEOUT, ...). */
public class RemoteInferenceException extends RuntimeException {

    private final InferenceErrorCode code;
    private final Duration retryAfter;

    public RemoteInferenceException(InferenceErrorCode code, String detail, Duration retryAfter) {
        super(Objects.requireNonNull(code, "code").name() + ": " + detail);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public InferenceErrorCode code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean retryable() {
        return code.retryable();
    }
}
