package org.council.node.wire;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequestFeatures;

/**
 * What a remote inference request asks beyond plain chat, as the signed payload carries it: the
 * Ollama {@code options} as one JSON object, {@code format} ({@code "json"} as a JSON string, or a
 * JSON schema), {@code think} ({@code ""}, {@code "true"}, {@code "false"}, {@code "low"},
 * {@code "medium"}, {@code "high"}) and {@code tools} as a JSON array. Empty strings mean not
 * asked. Per-message images, tool calls and tool names travel in the messages. Immutable.
 */
public record RemoteFeatures(String optionsJson, String formatJson, String think, String toolsJson) {

    public static final RemoteFeatures NONE = new RemoteFeatures("", "", "", "");

    public RemoteFeatures {
        optionsJson = optionsJson == null ? "" : optionsJson;
        formatJson = formatJson == null ? "" : formatJson;
        think = think == null ? "" : think;
        toolsJson = toolsJson == null ? "" : toolsJson;
    }

    /** What {@code r} asks beyond its messages: all its options, format, think and tools. */
    public static RemoteFeatures of(InferenceRequest r) {
        RequestFeatures f = r.features();
        JsonArray tools = new JsonArray();
        f.tools().forEach(t -> tools.add(new JsonObject(new LinkedHashMap<>(t))));
        return new RemoteFeatures(r.options().isEmpty() ? "" : new JsonObject(new LinkedHashMap<>(r.options())).encode(),
                f.format() == null ? "" : Json.encode(f.format() instanceof Map<?, ?> m ? new JsonObject(cast(m))
                        : f.format()),
                f.think() == null ? "" : String.valueOf(f.think()),
                tools.isEmpty() ? "" : tools.encode());
    }

    /**
     * The options as plain Java values.
     *
     * @throws IllegalArgumentException when they are not a JSON object
     */
    public Map<String, Object> options() {
        if (optionsJson.isEmpty()) {
            return Map.of();
        }
        try {
            return RemoteToolCalls.plainMap(new JsonObject(optionsJson));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("options are not a JSON object");
        }
    }

    /**
     * The bridge's features for a request with these (no images: they travel in the messages).
     *
     * @throws IllegalArgumentException when a field is malformed
     */
    public RequestFeatures requestFeatures() {
        try {
            List<Map<String, Object>> tools = new ArrayList<>();
            if (!toolsJson.isEmpty()) {
                for (Object t : new JsonArray(toolsJson)) {
                    tools.add(RemoteToolCalls.plainMap((JsonObject) t));
                }
            }
            Object format = formatJson.isEmpty() ? null : RemoteToolCalls.plain(Json.decodeValue(formatJson));
            if (format != null && !"json".equals(format) && !(format instanceof Map)) {
                throw new IllegalArgumentException("format must be \"json\" or a JSON schema object");
            }
            Object thinkValue = switch (think) {
                case "" -> null;
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "low", "medium", "high" -> think;
                default -> throw new IllegalArgumentException("think must be true, false, low, medium or high");
            };
            return new RequestFeatures(tools, format, thinkValue, null, List.of(), List.of());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed features: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
