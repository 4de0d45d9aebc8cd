package org.council.node.council;

/**
 * The aggregate for one member: its mean position (1 = best) over the reviewers that ranked it,
 * and how many did. Immutable and thread-safe.
 */
public record RankSummary(Member member, String label, double meanRank, int rankings) {
}
