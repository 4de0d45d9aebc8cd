package org.council.api;

import java.util.List;
import java.util.Objects;

/**
 * A council query as the API receives it. Immutable; validated on construction.
 *
 * @param question       the question (1..32,768 characters)
 * @param members        how many members to seat (2..12)
 * @param models         models the members must serve (empty: any)
 * @param timeoutSeconds the deadline of each stage (1..600)
 */
public record CouncilAsk(String question, int members, List<String> models, int timeoutSeconds) {

    public static final int MAX_QUESTION = 32_768;
    public static final int DEFAULT_MEMBERS = 3;
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;

    public CouncilAsk {
        Objects.requireNonNull(question, "question");
        models = List.copyOf(models == null ? List.of() : models);
        if (question.isBlank() || question.length() > MAX_QUESTION) {
            throw new IllegalArgumentException("question must be 1.." + MAX_QUESTION + " characters");
        }
        if (members < 1 || members > 12) {
            throw new IllegalArgumentException("members must be 1..12, got " + members);
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new IllegalArgumentException("timeout_seconds must be 1..600, got " + timeoutSeconds);
        }
    }
}
