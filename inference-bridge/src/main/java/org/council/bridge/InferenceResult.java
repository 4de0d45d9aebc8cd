package org.council.bridge;

import java.util.List;

/**
 * The outcome of a finished inference: the whole generated text, why generation stopped
 * ({@code stop}, {@code length}, ...), the model and backend that served it, and usage; the
 * model's {@code thinking} (empty unless asked), the {@code toolCalls} it made, and for an
 * embedding request one vector per input. Immutable.
 */
public record InferenceResult(String model, String backend, String text, String doneReason, Usage usage,
                              String thinking, List<ToolCall> toolCalls, List<double[]> embeddings) {

    public InferenceResult {
        thinking = thinking == null ? "" : thinking;
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
        embeddings = List.copyOf(embeddings == null ? List.of() : embeddings);
    }

    public InferenceResult(String model, String backend, String text, String doneReason, Usage usage) {
        this(model, backend, text, doneReason, usage, "", List.of(), List.of());
    }
}
