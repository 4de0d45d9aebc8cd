package org.council.bridge;

import java.util.Objects;

/**
 * Who asked for an inference: an opaque identifier (the node passes peers' hex node ids). The
 * distinguished {@link #LOCAL} requester is the node's own user, who is always served first.
 *
 * <p>Immutable and thread-safe.
 */
public record RequesterId(String value) {

    /** The node's own user. */
    public static final RequesterId LOCAL = new RequesterId("local");

    public RequesterId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 256) {
            throw new IllegalArgumentException("requester id must be 1..256 non-blank characters");
        }
    }

    public static RequesterId of(String value) {
        return new RequesterId(value);
    }

    /** True for the node's own user. */
    public boolean isLocal() {
        return equals(LOCAL);
    }

    @Override
    public String toString() {
        return value;
    }
}
