package org.council.bridge.ollama;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequestFeatures;
import org.council.bridge.ToolCall;

/**
 * Ollama's request bodies and the tool-call objects of its answers, in the wire shapes of its
 * API documentation: {@code messages[].images|tool_calls|tool_name|thinking}, {@code tools},
 * {@code format}, {@code think}, {@code keep_alive}, {@code options}; a tool call is
 * {@code {"function":{"name":...,"arguments":{...}}}}. Stateless.
 */
final class OllamaWire {

    private OllamaWire() {
    }

    static JsonObject requestBody(InferenceRequest request) {
        JsonObject body = new JsonObject().put("model", request.model());
        RequestFeatures f = request.features();
        switch (request.kind()) {
            case CHAT -> {
                JsonArray messages = new JsonArray();
                request.messages().forEach(m -> messages.add(message(m)));
                body.put("messages", messages);
                if (!f.tools().isEmpty()) {
                    body.put("tools", new JsonArray(new ArrayList<>(f.tools())));
                }
            }
            case GENERATE -> {
                body.put("prompt", request.prompt());
                if (!f.images().isEmpty()) {
                    body.put("images", new JsonArray(new ArrayList<>(f.images())));
                }
            }
            case EMBED -> body.put("input", new JsonArray(new ArrayList<>(f.input())));
        }
        if (request.kind() != InferenceRequest.Kind.EMBED) {
            body.put("stream", request.stream());
            if (f.format() != null) {
                body.put("format", plain(f.format()));
            }
            if (f.think() != null) {
                body.put("think", f.think());
            }
        }
        if (f.keepAlive() != null) {
            body.put("keep_alive", f.keepAlive());
        }
        if (!request.options().isEmpty()) {
            body.put("options", new JsonObject(new LinkedHashMap<>(request.options())));
        }
        return body;
    }

    private static JsonObject message(ChatMessage m) {
        JsonObject o = new JsonObject().put("role", m.role()).put("content", m.content());
        if (!m.images().isEmpty()) {
            o.put("images", new JsonArray(new ArrayList<>(m.images())));
        }
        if (!m.toolCalls().isEmpty()) {
            JsonArray calls = new JsonArray();
            m.toolCalls().forEach(c -> calls.add(new JsonObject().put("function", new JsonObject()
                    .put("name", c.name()).put("arguments", new JsonObject(new LinkedHashMap<>(c.arguments()))))));
            o.put("tool_calls", calls);
        }
        if (!m.toolName().isEmpty()) {
            o.put("tool_name", m.toolName());
        }
        if (!m.thinking().isEmpty()) {
            o.put("thinking", m.thinking());
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Object plain(Object v) {
        return v instanceof Map<?, ?> m ? new JsonObject((Map<String, Object>) m) : v;
    }

    /** The tool calls of one answer chunk's {@code message.tool_calls}. */
    static List<ToolCall> toolCalls(JsonArray calls) {
        List<ToolCall> out = new ArrayList<>();
        if (calls == null) {
            return out;
        }
        for (Object o : calls) {
            if (o instanceof JsonObject c && c.getValue("function") instanceof JsonObject fn) {
                Object args = fn.getValue("arguments");
                Map<String, Object> map = args instanceof JsonObject a ? a.getMap()
                        : args instanceof String text && !text.isBlank() ? new JsonObject(text).getMap() : Map.of();
                out.add(new ToolCall(c.getString("id", ""), fn.getString("name", ""), plainMap(map)));
            }
        }
        return out;
    }

    /** Vert.x maps hold JsonObject/JsonArray for nested values; the bridge's types hold plain maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plainMap(Map<String, Object> m) {
        return (Map<String, Object>) unwrap(m);
    }

    /** A JSON value read by Vert.x as plain maps, lists and scalars. */
    static Object unwrap(Object v) {
        if (v instanceof JsonObject o) {
            return unwrap(o.getMap());
        }
        if (v instanceof JsonArray a) {
            return unwrap(a.getList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), unwrap(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(unwrap(x)));
            return out;
        }
        return v;
    }
}
