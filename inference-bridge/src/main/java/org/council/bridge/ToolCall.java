package org.council.bridge;

import java.util.Map;
import java.util.Objects;

/**
 * A model's request to call one of the tools it was offered: the function's {@code name} and its
 * {@code arguments} as a JSON object (plain maps, lists, strings, numbers, booleans). {@code id}
 * is the OpenAI-style call id (empty when the backend gives none, as Ollama's does). Immutable.
 */
public record ToolCall(String id, String name, Map<String, Object> arguments) {

    public ToolCall {
        id = id == null ? "" : id;
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(arguments));
    }
}
