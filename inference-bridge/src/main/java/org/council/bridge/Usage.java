package org.council.bridge;

/**
 * Token counts and timings of one finished inference, as reported by the backend. Durations are
 * nanoseconds, as in Ollama's final object; a backend that does not report a duration gives 0
 * (the OpenAI-compatible backend reports only the wall-clock total it measured). Immutable.
 */
public record Usage(
        long promptTokens,
        long completionTokens,
        long totalDurationNanos,
        long loadDurationNanos,
        long promptEvalDurationNanos,
        long evalDurationNanos) {

    public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
