package org.council.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a request asks beyond plain text, in Ollama's terms (the API layers translate OpenAI's):
 * {@code tools} offered (Ollama tool objects: {@code {"type":"function","function":{name,
 * description, parameters}}}); {@code format} {@code null}, {@code "json"} or a JSON schema (a map);
 * {@code think} {@code null}, a boolean or {@code "low|medium|high"}; {@code keepAlive} for a local
 * Ollama ({@code null}, a duration string or seconds); {@code images} (base64) of a generate
 * request; {@code input} the texts of an embedding request. JSON values are plain Java values
 * (maps, lists, strings, numbers, booleans). Immutable.
 */
public record RequestFeatures(
        List<Map<String, Object>> tools,
        Object format,
        Object think,
        Object keepAlive,
        List<String> images,
        List<String> input) {

    public static final RequestFeatures NONE = new RequestFeatures(List.of(), null, null, null, List.of(), List.of());

    public RequestFeatures {
        tools = List.copyOf(tools == null ? List.of() : tools);
        images = List.copyOf(images == null ? List.of() : images);
        input = List.copyOf(input == null ? List.of() : input);
    }

    /** Whether thinking was asked for ({@code true} or an effort level). */
    public boolean thinking() {
        return think instanceof Boolean b ? b : think instanceof String s && !s.isEmpty();
    }

    /**
     * What this request uses that plain text does not, in words ({@code tools}, {@code format}, ...),
     * for refusing it where it cannot be carried yet; empty when it is plain text.
     */
    public static List<String> used(InferenceRequest r) {
        List<String> out = new ArrayList<>();
        RequestFeatures f = r.features();
        if (r.kind() == InferenceRequest.Kind.EMBED) {
            out.add("embeddings");
        }
        if (!f.tools.isEmpty() || r.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty()
                || m.role().equals("tool"))) {
            out.add("tools");
        }
        if (f.format != null) {
            out.add("format");
        }
        if (f.think != null && !Boolean.FALSE.equals(f.think)) {
            out.add("think");
        }
        if (!f.images.isEmpty() || r.messages().stream().anyMatch(m -> !m.images().isEmpty())) {
            out.add("images");
        }
        return out;
    }
}
