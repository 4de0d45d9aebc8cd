package org.council.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.ToolCall;

/**
 * OpenAI's tool-call objects both ways: {@code {"id","type":"function","function":{"name",
 * "arguments":"<JSON text>"}}} (arguments are a JSON string in OpenAI's API, an object in
 * Ollama's and the bridge's), their streamed deltas (with an {@code index}), and image parts'
 * {@code data:} URLs. A call without an id (Ollama gives none) gets one, as Ollama's OpenAI
 * compatibility does. Stateless.
 */
final class OpenAiToolCalls {

    private static final SecureRandom IDS = new SecureRandom();

    private OpenAiToolCalls() {
    }

    @SuppressWarnings("unchecked")
    static List<ToolCall> read(JsonNode v, String at) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw OpenAiError.invalid(at, "'" + at + "' must be an array of tool calls.");
        }
        List<ToolCall> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode fn = v.get(i).path("function");
            String args = fn.path("arguments").asText("");
            if (!fn.path("name").isTextual()) {
                throw OpenAiError.invalid(at + "[" + i + "].function.name", "A tool call needs a function name.");
            }
            Map<String, Object> parsed;
            try {
                parsed = args.isBlank() ? Map.of() : OpenAiRequests.MAPPER.readValue(args, LinkedHashMap.class);
            } catch (JsonProcessingException e) {
                throw OpenAiError.invalid(at + "[" + i + "].function.arguments",
                        "A tool call's arguments must be a JSON object in a string.");
            }
            out.add(new ToolCall(v.get(i).path("id").asText(""), fn.get("name").asText(), parsed));
        }
        return out;
    }

    /** The calls of an answer, in a {@code message} or (with indexes) a streamed {@code delta}. */
    static ArrayNode write(ArrayNode list, List<ToolCall> calls, boolean delta) {
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            ObjectNode o = list.addObject();
            if (delta) {
                o.put("index", i);
            }
            o.put("id", c.id().isEmpty() ? id() : c.id()).put("type", "function");
            try {
                o.putObject("function").put("name", c.name())
                        .put("arguments", OpenAiRequests.MAPPER.writeValueAsString(c.arguments()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("tool call arguments are not serializable", e);
            }
        }
        return list;
    }

    private static String id() {
        byte[] b = new byte[8];
        IDS.nextBytes(b);
        return "call_" + HexFormat.of().formatHex(b);
    }

    /** The base64 payload of a {@code data:image/...;base64,} URL; any other URL is refused (the node fetches nothing). */
    static String image(String url, String at) {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw OpenAiError.unsupported(at + ".image_url.url", "An image URL other than a base64 data: URL "
                    + "(the node does not fetch images)");
        }
        String data = url.substring(comma + 1);
        try {
            Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw OpenAiError.invalid(at + ".image_url.url", "The image's data: URL is not valid base64.");
        }
        return data;
    }
}
