package org.council.node.council;

/** A member that did not deliver in a stage, and why (for example "timed out after 120000 ms"). Immutable and thread-safe. */
public record StageFailure(CouncilStage stage, Member member, String reason) {
}
