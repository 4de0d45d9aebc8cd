package org.council.node.council;

/** Stage 3: the chairman's final answer. Immutable and thread-safe. */
public record Synthesis(Member chairman, String text, int promptTokens, int completionTokens) {
}
