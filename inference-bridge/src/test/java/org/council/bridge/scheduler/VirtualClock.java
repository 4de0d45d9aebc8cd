package org.council.bridge.scheduler;

import java.util.function.LongSupplier;

/**
 * A nanosecond clock that only moves when told, for simulations, tests and benchmarks. Not
 * thread-safe.
 */
public final class VirtualClock implements LongSupplier {

    private long nanos;

    @Override
    public long getAsLong() {
        return nanos;
    }

    public void advanceTo(long newNanos) {
        if (newNanos < nanos) {
            throw new IllegalArgumentException("time cannot go back");
        }
        nanos = newNanos;
    }

    public void advanceNanos(long delta) {
        advanceTo(nanos + delta);
    }
}
