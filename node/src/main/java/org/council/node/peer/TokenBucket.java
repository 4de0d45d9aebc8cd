package org.council.node.peer;

import java.util.function.LongSupplier;

/**
 * A token bucket; not thread-safe (one per peer session and budget, used on its context: its owner
 * asserts it).
 */
final class TokenBucket {

    private final double capacity;
    private final double refillPerNano;
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    TokenBucket(int capacity, int refillPerSecond, LongSupplier nanos) {
        this(capacity, (double) refillPerSecond, nanos);
    }

    /** A bucket refilled by a fraction of a token per second (budgets counted per hour). */
    TokenBucket(int capacity, double refillPerSecond, LongSupplier nanos) {
        this.capacity = capacity;
        this.refillPerNano = refillPerSecond / 1e9;
        this.nanos = nanos;
        this.tokens = capacity;
        this.last = nanos.getAsLong();
    }

    /** True when the bucket holds no token now (it may be in debt: {@link #take} goes below zero). */
    boolean empty() {
        refill();
        return tokens < 1;
    }

    /** True when the bucket is full again (nothing taken that has not been refilled). */
    boolean full() {
        refill();
        return tokens >= capacity;
    }

    /** Takes {@code n} tokens; false when the bucket ran dry. */
    boolean take(int n) {
        refill();
        tokens -= n;
        return tokens >= 0;
    }

    private void refill() {
        long now = nanos.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * refillPerNano);
        last = now;
    }
}
