package org.council.node.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.ToolCall;

/**
 * Tool calls on the wire: a JSON array of Ollama-shaped calls
 * {@code {"id":..., "function":{"name":..., "arguments":{...}}}}, or the empty string for none. Stateless.
 */
public final class RemoteToolCalls {

    private RemoteToolCalls() {
    }

    public static String encode(List<ToolCall> calls) {
        if (calls.isEmpty()) {
            return "";
        }
        JsonArray out = new JsonArray();
        for (ToolCall c : calls) {
            JsonObject call = new JsonObject().put("function", new JsonObject().put("name", c.name())
                    .put("arguments", new JsonObject(new LinkedHashMap<>(c.arguments()))));
            if (!c.id().isEmpty()) {
                call.put("id", c.id());
            }
            out.add(call);
        }
        return out.encode();
    }

    /** @throws IllegalArgumentException when {@code json} is not such an array */
    public static List<ToolCall> decode(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            List<ToolCall> out = new ArrayList<>();
            for (Object o : new JsonArray(json)) {
                JsonObject function = ((JsonObject) o).getJsonObject("function");
                JsonObject args = function.getJsonObject("arguments", new JsonObject());
                out.add(new ToolCall(((JsonObject) o).getString("id", ""), function.getString("name"),
                        plainMap(args)));
            }
            return out;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool calls are not a JSON array of calls: " + e.getMessage());
        }
    }

    /** A JSON value as plain Java values (maps, lists, strings, numbers, booleans). */
    public static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            return plainMap(o);
        }
        if (v instanceof Map<?, ?> m) {
            return plainMap(new JsonObject(castMap(m)));
        }
        if (v instanceof JsonArray a) {
            List<Object> out = new ArrayList<>();
            a.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return plain(new JsonArray(new ArrayList<>(l)));
        }
        return v;
    }

    static Map<String, Object> plainMap(JsonObject o) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : o.fieldNames()) {
            out.put(k, plain(o.getValue(k)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
