package org.council.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.RequestFeatures;

/**
 * Reads what a chat request asks beyond text, as Ollama's OpenAI compatibility serves it:
 * {@code tools} ({@code [{"type":"function","function":{"name","description","parameters"}}]},
 * passed as Ollama tools), {@code tool_choice} ({@code "none"} drops the tools, {@code "auto"}
 * keeps them; {@code "required"} or a named function is refused: no backend can be made to
 * honour it), {@code response_format} ({@code text}; {@code json_object} is Ollama's
 * {@code format: "json"}; {@code json_schema} passes its {@code schema} as the format), and
 * {@code reasoning_effort} ({@code low|medium|high} is Ollama's {@code think} level,
 * {@code none} turns thinking off). Stateless.
 */
final class OpenAiFeatures {

    private OpenAiFeatures() {
    }

    static RequestFeatures read(JsonNode body) {
        List<Map<String, Object>> tools = tools(body.get("tools"));
        JsonNode choice = body.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            String c = choice.isTextual() ? choice.asText() : "";
            if (c.equals("none")) {
                tools = List.of();
            } else if (!c.equals("auto")) {
                throw OpenAiError.unsupported("tool_choice", "A tool_choice other than 'auto' or 'none' (forcing a "
                        + "tool call)");
            }
        }
        return new RequestFeatures(tools, format(body.get("response_format")), think(body.get("reasoning_effort")),
                null, List.of(), List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tools(JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw OpenAiError.invalid("tools", "'tools' must be an array of tools.");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            if (!t.path("type").asText("").equals("function")) {
                throw OpenAiError.unsupported("tools[" + i + "].type", "A tool of type '" + t.path("type").asText("")
                        + "' (only function tools)");
            }
            JsonNode name = t.path("function").path("name");
            if (!name.isTextual() || name.asText().isBlank()) {
                throw OpenAiError.invalid("tools[" + i + "].function.name", "Missing required parameter: 'tools["
                        + i + "].function.name'.");
            }
            Map<String, Object> tool = OpenAiRequests.MAPPER.convertValue(t, LinkedHashMap.class);
            ((Map<String, Object>) tool.get("function")).remove("strict"); // Ollama has no strict mode to pass it to
            out.add(tool);
        }
        return out;
    }

    private static Object format(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        String type = v.path("type").asText("");
        switch (type) {
            case "text":
                return null;
            case "json_object":
                return "json";
            case "json_schema":
                JsonNode schema = v.path("json_schema").path("schema");
                if (!schema.isObject()) {
                    throw OpenAiError.invalid("response_format.json_schema.schema", "Missing required parameter: "
                            + "'response_format.json_schema.schema'.");
                }
                return OpenAiRequests.MAPPER.convertValue(schema, LinkedHashMap.class);
            default:
                throw OpenAiError.invalid("response_format.type", "Invalid value: '" + type + "'. Supported values "
                        + "are: 'text', 'json_object' and 'json_schema'.");
        }
    }

    private static Object think(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        String effort = v.asText("");
        return switch (effort) {
            case "low", "medium", "high" -> effort;
            case "none" -> Boolean.FALSE;
            default -> throw OpenAiError.invalid("reasoning_effort", "Invalid value: '" + effort + "'. Supported "
                    + "values are: 'none', 'low', 'medium' and 'high'.");
        };
    }
}
