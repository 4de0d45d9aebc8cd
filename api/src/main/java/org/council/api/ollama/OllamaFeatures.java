package org.council.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.bridge.RequestFeatures;
import org.council.bridge.ToolCall;

/**
 * Reads what an Ollama request asks beyond text, in Ollama's wire shapes: {@code tools}
 * ({@code [{"type":"function","function":{"name","description","parameters"}}]}), {@code format}
 * ({@code "json"} or a JSON schema object), {@code think} ({@code true|false} or
 * {@code "low"|"medium"|"high"}), {@code keep_alive} (a duration string or seconds), base64
 * {@code images}, and an assistant turn's {@code tool_calls}. Malformed values are 400. Stateless.
 */
final class OllamaFeatures {

    private static final Set<String> EFFORTS = Set.of("low", "medium", "high");

    private OllamaFeatures() {
    }

    static RequestFeatures read(JsonNode body, boolean chat) {
        return new RequestFeatures(chat ? tools(body.get("tools")) : List.of(), format(body.get("format")),
                think(body.get("think")), keepAlive(body.get("keep_alive")), chat ? List.of() : images(body),
                List.of());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> tools(JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw OllamaError.badRequest("tools must be an array");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode t : v) {
            JsonNode name = t.path("function").path("name");
            if (!t.isObject() || !name.isTextual() || name.asText().isBlank()) {
                throw OllamaError.badRequest("each tool must be {\"type\":\"function\",\"function\":{\"name\":...,"
                        + "\"parameters\":{...}}}");
            }
            out.add(OllamaRequests.MAPPER.convertValue(t, LinkedHashMap.class));
        }
        return out;
    }

    static Object format(JsonNode v) {
        if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
            return null;
        }
        if (v.isTextual() && v.asText().equals("json")) {
            return "json";
        }
        if (v.isObject()) {
            return OllamaRequests.MAPPER.convertValue(v, LinkedHashMap.class);
        }
        throw OllamaError.badRequest("format must be \"json\" or a JSON schema object");
    }

    static Object think(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && EFFORTS.contains(v.asText())) {
            return v.asText();
        }
        throw OllamaError.badRequest("think must be true, false, \"low\", \"medium\" or \"high\"");
    }

    static Object keepAlive(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        throw OllamaError.badRequest("keep_alive must be a duration (\"5m\") or a number of seconds");
    }

    static List<String> images(JsonNode holder) {
        JsonNode v = holder.get("images");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw OllamaError.badRequest("images must be an array of base64 strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode i : v) {
            if (!i.isTextual() || !base64(i.asText())) {
                throw OllamaError.badRequest("images must be an array of base64 strings");
            }
            out.add(i.asText());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<ToolCall> toolCalls(JsonNode m) {
        JsonNode v = m.get("tool_calls");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw OllamaError.badRequest("tool_calls must be an array");
        }
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode c : v) {
            JsonNode fn = c.path("function");
            JsonNode args = fn.path("arguments");
            if (!fn.path("name").isTextual() || !(args.isObject() || args.isMissingNode() || args.isNull())) {
                throw OllamaError.badRequest("each tool call must be {\"function\":{\"name\":...,\"arguments\":{...}}}");
            }
            out.add(new ToolCall(c.path("id").asText(""), fn.get("name").asText(),
                    args.isObject() ? OllamaRequests.MAPPER.convertValue(args, LinkedHashMap.class) : Map.of()));
        }
        return out;
    }

    private static boolean base64(String s) {
        try {
            java.util.Base64.getMimeDecoder().decode(s);
            return !s.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
