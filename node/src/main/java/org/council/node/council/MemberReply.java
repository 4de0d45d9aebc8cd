package org.council.node.council;

import java.util.Objects;

/** A member's completed reply for one stage, with its token counts. Immutable and thread-safe. */
public record MemberReply(String text, int promptTokens, int completionTokens) {

    public MemberReply {
        Objects.requireNonNull(text, "text");
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }
}
