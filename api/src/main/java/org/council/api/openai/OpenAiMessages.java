package org.council.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.bridge.ChatMessage;
import org.council.bridge.ToolCall;

/**
 * Reads a chat request's {@code messages}. Served: a string {@code content} or an array of
 * {@code text} parts (joined by newlines) and {@code image_url} parts holding {@code data:} URLs
 * (passed as base64 images); role {@code developer} is the system prompt, as OpenAI defines it
 * for newer models; an assistant turn's {@code tool_calls} (arguments as a JSON string) and role
 * {@code tool} results ({@code tool_call_id} names the call, so the tool's name is known).
 * Whatever the node cannot pass on to a model is refused with a 400 naming it: role
 * {@code function}, {@code function_call}, {@code name}, {@code audio}, image URLs the node would
 * have to fetch, audio and file parts. Stateless.
 */
final class OpenAiMessages {

    private static final Map<String, String> ROLES = Map.of(
            "system", "system", "developer", "system", "user", "user", "assistant", "assistant", "tool", "tool");
    /** An assistant turn may echo its own {@code refusal} (null or text); it carries no new instruction. */
    private static final Set<String> SERVED = Set.of("role", "content", "refusal", "tool_calls", "tool_call_id",
            "reasoning"); // an assistant turn echoing its own reasoning (as this API returns it) adds no instruction
    private static final Map<String, String> REFUSED = Map.of(
            "name", "a message's name (participant names)",
            "function_call", "function calls (functions)",
            "audio", "audio in messages");

    private OpenAiMessages() {
    }

    static List<ChatMessage> read(JsonNode list) {
        if (list == null || list.isNull()) {
            throw OpenAiError.invalid("messages", "Missing required parameter: 'messages'.");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw OpenAiError.invalid("messages", "'messages' must be a non-empty array of messages.");
        }
        List<ChatMessage> out = new ArrayList<>();
        Map<String, String> toolNames = new java.util.HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            ChatMessage m = message(list.get(i), "messages[" + i + "]", toolNames);
            m.toolCalls().forEach(c -> toolNames.put(c.id(), c.name()));
            out.add(m);
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String at, Map<String, String> toolNames) {
        if (!m.isObject()) {
            throw OpenAiError.invalid(at, "Each message must be an object with 'role' and 'content'.");
        }
        JsonNode roleNode = m.get("role");
        String role = roleNode == null || !roleNode.isTextual() ? "" : roleNode.asText();
        if (role.equals("function")) {
            throw OpenAiError.unsupported(at + ".role", "The message role '" + role + "' (tool and function results)");
        }
        if (!ROLES.containsKey(role)) {
            throw OpenAiError.invalid(at + ".role", "Invalid value for '" + at + ".role': expected one of "
                    + "'system', 'developer', 'user' or 'assistant', got '" + roleNode + "'.");
        }
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            if (e.getValue().isNull() || SERVED.contains(e.getKey())) {
                continue;
            }
            String what = REFUSED.get(e.getKey());
            if (what != null) {
                throw OpenAiError.unsupported(at + "." + e.getKey(), what.substring(0, 1).toUpperCase() + what.substring(1));
            }
            throw OpenAiError.invalid(at + "." + e.getKey(), "Unrecognized message field: '" + at + "."
                    + e.getKey() + "'.");
        }
        JsonNode refusal = m.get("refusal");
        if (refusal != null && !refusal.isNull() && !refusal.isTextual()) {
            throw OpenAiError.invalid(at + ".refusal", "'" + at + ".refusal' must be a string.");
        }
        List<String> images = new ArrayList<>();
        String text = content(m.get("content"), at + ".content", images);
        String toolName = "";
        if (role.equals("tool")) {
            String id = m.path("tool_call_id").asText("");
            if (id.isEmpty()) {
                throw OpenAiError.invalid(at + ".tool_call_id", "Missing required parameter: '" + at
                        + ".tool_call_id'.");
            }
            toolName = toolNames.getOrDefault(id, "");
        }
        List<ToolCall> calls = role.equals("assistant") ? OpenAiToolCalls.read(m.get("tool_calls"), at + ".tool_calls")
                : List.of();
        return new ChatMessage(ROLES.get(role), text, images, calls, toolName, "");
    }

    private static String content(JsonNode c, String at, List<String> images) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.isArray()) {
            throw OpenAiError.invalid(at, "'" + at + "' must be a string or an array of content parts.");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            JsonNode part = c.get(i);
            String type = part.path("type").asText("");
            if (type.equals("image_url")) {
                images.add(OpenAiToolCalls.image(part.path("image_url").path("url").asText(""), at + "[" + i + "]"));
                continue;
            }
            if (!type.equals("text")) {
                String where = at + "[" + i + "].type";
                if (type.equals("input_audio") || type.equals("file")) {
                    throw OpenAiError.unsupported(where, "Content of type '" + type + "' (the Council network "
                            + "passes text and images only)");
                }
                throw OpenAiError.invalid(where, "Invalid content part type: '" + type + "'.");
            }
            JsonNode text = part.get("text");
            if (text == null || !text.isTextual()) {
                throw OpenAiError.invalid(at + "[" + i + "].text", "A text part needs a string 'text'.");
            }
            texts.add(text.asText());
        }
        return String.join("\n", texts);
    }
}
