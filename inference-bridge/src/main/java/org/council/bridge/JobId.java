package org.council.bridge;

/** Identifies one submitted job within a bridge. Immutable. */
public record JobId(long value) {

    @Override
    public String toString() {
        return "job-" + value;
    }
}
