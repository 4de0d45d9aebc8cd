package org.council.bridge.ollama;

import java.util.List;

/**
 * What {@code POST /api/show} says about a model: its details, capabilities ({@code completion},
 * {@code tools}, {@code vision}, ...), context length (0 when not reported), template and
 * parameters text. Immutable.
 */
public record OllamaShow(
        String model,
        String family,
        String parameterSize,
        String quantization,
        List<String> capabilities,
        long contextLength,
        String template,
        String parameters) {

    public OllamaShow {
        capabilities = List.copyOf(capabilities);
    }
}
