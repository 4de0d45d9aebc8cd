package org.council.node.council;

/** Stage 1: one member's answer under its council-wide label ("Response B"). Immutable and thread-safe. */
public record MemberAnswer(Member member, String label, String text, int promptTokens, int completionTokens) {
}
