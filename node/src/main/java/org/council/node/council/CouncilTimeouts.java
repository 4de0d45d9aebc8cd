package org.council.node.council;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each stage waits for one member's reply. Every call in a stage gets the full budget
 * (calls run in parallel, so a stage lasts about its timeout at worst). Immutable and thread-safe.
 */
public record CouncilTimeouts(Duration answer, Duration review, Duration synthesis) {

    /** 120 s to answer, 120 s to review, 180 s to synthesize: sized for local models on modest GPUs. */
    public static final CouncilTimeouts DEFAULTS =
            new CouncilTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(180));

    public CouncilTimeouts {
        requirePositive(answer, "answer");
        requirePositive(review, "review");
        requirePositive(synthesis, "synthesis");
    }

    /** The same timeout for every stage. */
    public static CouncilTimeouts of(Duration each) {
        return new CouncilTimeouts(each, each, each);
    }

    public Duration of(CouncilStage stage) {
        return switch (stage) {
            case ANSWER -> answer;
            case REVIEW -> review;
            case SYNTHESIS -> synthesis;
        };
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " timeout must be positive");
        }
    }
}
