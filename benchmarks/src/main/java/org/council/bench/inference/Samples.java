package org.council.bench.inference;

import java.util.Arrays;

/** A growable list of long samples (nanoseconds) with percentiles. Thread-safe (synchronized). */
final class Samples {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    /** Adds every sample of {@code other}. */
    void addAll(Samples other) {
        long[] theirs;
        int n;
        synchronized (other) {
            theirs = other.values;
            n = other.size;
        }
        for (int i = 0; i < n; i++) {
            add(theirs[i]);
        }
    }

    synchronized int size() {
        return size;
    }

    /** The {@code p}-th percentile (0..100) in milliseconds, nearest rank; NaN when empty. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
    }
}
