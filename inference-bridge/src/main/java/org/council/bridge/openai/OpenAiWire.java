package org.council.bridge.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequestFeatures;
import org.council.bridge.ToolCall;

/**
 * The request bodies of OpenAI's API, from the bridge's Ollama-style request: {@code messages}
 * (images as {@code image_url} parts with {@code data:} URLs, an assistant's {@code tool_calls}
 * with JSON-string arguments, tool results with their {@code tool_call_id}), {@code tools},
 * {@code response_format} ({@code json_object} for {@code "json"}, {@code json_schema} for a
 * schema), {@code reasoning_effort} for {@code think}, and {@code /v1/embeddings}'s
 * {@code input}. Stateless.
 */
final class OpenAiWire {

    /** The Ollama options OpenAI's API (and llama.cpp's and vLLM's servers) know by the same name. */
    private static final List<String> PASSED_OPTIONS = List.of("temperature", "top_p", "seed", "stop",
            "frequency_penalty", "presence_penalty");

    private OpenAiWire() {
    }

    static JsonObject chatBody(InferenceRequest request) {
        RequestFeatures f = request.features();
        List<ChatMessage> turns = request.kind() == InferenceRequest.Kind.CHAT ? request.messages()
                : List.of(new ChatMessage("user", request.prompt(), f.images(), List.of(), "", ""));
        JsonArray messages = new JsonArray();
        Map<String, String> idsByName = new HashMap<>();
        for (ChatMessage m : turns) {
            messages.add(message(m, idsByName));
        }
        JsonObject body = new JsonObject().put("model", request.model()).put("messages", messages)
                .put("stream", request.stream());
        if (request.stream()) {
            body.put("stream_options", new JsonObject().put("include_usage", true));
        }
        request.maxTokens().ifPresent(n -> body.put("max_tokens", n));
        for (Map.Entry<String, Object> e : request.options().entrySet()) {
            if (PASSED_OPTIONS.contains(e.getKey())) {
                body.put(e.getKey(), e.getValue());
            }
        }
        if (!f.tools().isEmpty()) {
            body.put("tools", new JsonArray(new ArrayList<>(f.tools())));
        }
        if ("json".equals(f.format())) {
            body.put("response_format", new JsonObject().put("type", "json_object"));
        } else if (f.format() instanceof Map<?, ?> schema) {
            body.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema",
                    new JsonObject().put("name", "response").put("schema", new JsonObject(plain(schema)))));
        }
        if (f.think() instanceof String effort) {
            body.put("reasoning_effort", effort);
        } else if (Boolean.TRUE.equals(f.think())) {
            body.put("reasoning_effort", "medium");
        }
        return body;
    }

    static JsonObject embedBody(InferenceRequest request) {
        return new JsonObject().put("model", request.model())
                .put("input", new JsonArray(new ArrayList<>(request.features().input())))
                .put("encoding_format", "float");
    }

    private static JsonObject message(ChatMessage m, Map<String, String> idsByName) {
        JsonObject o = new JsonObject().put("role", m.role());
        if (m.images().isEmpty()) {
            o.put("content", m.content());
        } else {
            JsonArray parts = new JsonArray().add(new JsonObject().put("type", "text").put("text", m.content()));
            for (String image : m.images()) {
                parts.add(new JsonObject().put("type", "image_url").put("image_url",
                        new JsonObject().put("url", "data:" + mediaType(image) + ";base64," + image)));
            }
            o.put("content", parts);
        }
        if (!m.toolCalls().isEmpty()) {
            JsonArray calls = new JsonArray();
            for (int i = 0; i < m.toolCalls().size(); i++) {
                ToolCall c = m.toolCalls().get(i);
                String id = c.id().isEmpty() ? "call_" + idsByName.size() + "_" + i : c.id();
                idsByName.put(c.name(), id);
                calls.add(new JsonObject().put("id", id).put("type", "function").put("function", new JsonObject()
                        .put("name", c.name()).put("arguments", new JsonObject(plain(c.arguments())).encode())));
            }
            o.put("tool_calls", calls);
        }
        if (m.role().equals("tool")) {
            // Ollama's tool turn names the tool; OpenAI's names the call, the last one made to that tool
            o.put("tool_call_id", idsByName.getOrDefault(m.toolName(), "call_" + m.toolName()));
        }
        return o;
    }

    /** The media type of a base64 image, from its first bytes (servers want it in the data: URL). */
    static String mediaType(String base64) {
        if (base64.startsWith("iVBOR")) {
            return "image/png";
        }
        if (base64.startsWith("R0lG")) {
            return "image/gif";
        }
        if (base64.startsWith("UklGR")) {
            return "image/webp";
        }
        return "image/jpeg";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Map<?, ?> m) {
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
