package org.council.api.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RequestBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.bridge.ChatMessage;

/**
 * Reads Ollama request bodies. Served: {@code messages} (roles system, user, assistant, tool; with
 * {@code images}, {@code tool_calls}, {@code tool_name}, {@code thinking}), {@code tools},
 * {@code format} ({@code "json"} or a JSON schema), {@code think} (a boolean or
 * {@code low|medium|high}), {@code images}, {@code keep_alive} and every {@code options} entry,
 * passed to the backend ({@link OllamaFeatures}). What the node cannot honour is refused with 400
 * and says so ({@code suffix}, {@code logprobs}, {@code template}, {@code context}, {@code raw}).
 * Stateless.
 */
final class OllamaRequests {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private OllamaRequests() {
    }

    /** The body as a JSON object; Ollama reads it whatever the content type says. */
    static JsonNode object(RequestBody body) {
        if (body == null || body.buffer() == null || body.length() == 0) {
            throw OllamaError.badRequest("missing request body");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(body.buffer().getBytes());
        } catch (JsonProcessingException e) {
            throw OllamaError.badRequest("invalid JSON in the request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw OllamaError.badRequest("the request body could not be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw OllamaError.badRequest("the request body must be a JSON object");
        }
        return n;
    }

    /** {@code model} (or its older name {@code name}), required. */
    static String model(JsonNode body) {
        String model = text(body, "model");
        if (model.isEmpty()) {
            model = text(body, "name");
        }
        if (model.isBlank()) {
            throw OllamaError.badRequest("model is required");
        }
        return model;
    }

    static OllamaCall chat(JsonNode body) {
        refuseCommon(body);
        List<ChatMessage> messages = new ArrayList<>();
        JsonNode list = body.get("messages");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw OllamaError.badRequest("messages must be an array");
            }
            for (JsonNode m : list) {
                messages.add(message(m));
            }
        }
        return new OllamaCall(OllamaCall.Shape.CHAT, model(body), messages, "", "", options(body), stream(body),
                OllamaFeatures.read(body, true));
    }

    static OllamaCall generate(JsonNode body) {
        refuseCommon(body);
        refuseNonEmpty(body, "tools", "tools are served on /api/chat only, as Ollama serves them");
        if (!text(body, "template").isEmpty()) {
            throw OllamaError.badRequest("template (a prompt template override) is not supported by this Council node");
        }
        refuseNonEmpty(body, "context", "context (the token context of an earlier answer) is not supported by this "
                + "Council node: send the conversation to /api/chat instead");
        if (body.path("raw").asBoolean(false)) {
            throw OllamaError.badRequest("raw (a prompt without the model's template) is not supported by this "
                    + "Council node");
        }
        if (!text(body, "suffix").isEmpty()) {
            throw OllamaError.badRequest("suffix (fill-in-the-middle) is not supported by this Council node");
        }
        return new OllamaCall(OllamaCall.Shape.GENERATE, model(body), List.of(), text(body, "prompt"),
                text(body, "system"), options(body), stream(body), OllamaFeatures.read(body, false));
    }

    private static ChatMessage message(JsonNode m) {
        if (!m.isObject()) {
            throw OllamaError.badRequest("each message must be an object with role and content");
        }
        String role = text(m, "role");
        if (!ROLES.contains(role)) {
            throw OllamaError.badRequest("message role must be system, user, assistant or tool, got \"" + role + "\"");
        }
        return new ChatMessage(role, text(m, "content"), OllamaFeatures.images(m), OllamaFeatures.toolCalls(m),
                text(m, "tool_name"), text(m, "thinking"));
    }

    private static void refuseCommon(JsonNode body) {
        if (body.path("logprobs").asBoolean(false) || body.path("top_logprobs").asInt(0) > 0) {
            throw OllamaError.badRequest("logprobs are not supported by this Council node");
        }
    }

    private static void refuseNonEmpty(JsonNode body, String field, String why) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !(v.isArray() && v.isEmpty())) {
            throw OllamaError.badRequest(why);
        }
    }

    private static boolean stream(JsonNode body) {
        JsonNode v = body.get("stream");
        if (v == null || v.isNull()) {
            return true; // Ollama streams unless told not to
        }
        if (!v.isBoolean()) {
            throw OllamaError.badRequest("stream must be true or false");
        }
        return v.booleanValue();
    }

    /** {@code options} as plain values (numbers, strings, booleans, lists); null entries dropped. */
    static Map<String, Object> options(JsonNode body) {
        JsonNode v = body.get("options");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw OllamaError.badRequest("options must be an object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
            }
        }
        return out;
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw OllamaError.badRequest(field + " must be a string");
        }
        return v.asText();
    }
}
