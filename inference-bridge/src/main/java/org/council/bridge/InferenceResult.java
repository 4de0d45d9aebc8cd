package org.council.bridge;

/**
 * The outcome of a finished inference: the whole generated text, why generation stopped
 * ({@code stop}, {@code length}, ...), the model and backend that served it, and usage. Immutable.
 */
public record InferenceResult(String model, String backend, String text, String doneReason, Usage usage) {
}
