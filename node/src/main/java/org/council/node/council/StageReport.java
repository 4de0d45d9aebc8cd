package org.council.node.council;

/** How one stage ended, with a short human-readable detail. Immutable and thread-safe. */
public record StageReport(CouncilStage stage, Status status, String detail) {

    /** The outcome of a stage. */
    public enum Status {
        /** The stage ran and produced what the next stage needs. */
        COMPLETED,
        /** The stage had nothing to do (stage 2 with a single answer); counts as completed. */
        SKIPPED,
        /** The stage ran and nobody delivered. */
        FAILED,
        /** An earlier stage failed, so this one never started. */
        NOT_RUN
    }

    /** True for {@link Status#COMPLETED} and {@link Status#SKIPPED}. */
    public boolean done() {
        return status == Status.COMPLETED || status == Status.SKIPPED;
    }
}
