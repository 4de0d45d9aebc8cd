package org.council.bridge.simulated;

import io.vertx.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequestFeatures;
import org.council.bridge.ToolCall;

/**
 * What one simulated generation emits, decided before the first token: thinking pieces (when
 * {@code think} is asked), text pieces (a JSON value valid under a requested {@code format}, or
 * null for the backend's default words), and a tool call (when tools are offered and the last
 * turn is not already a tool's result, so a tool-call round trip ends with a text answer).
 * Immutable.
 */
record SimulatedAnswer(List<String> thinking, List<String> text, List<ToolCall> toolCalls) {

    static final String THINKING = "[simulated thinking, no language model reasoned]";
    private static final int JSON_PIECE = 16;

    @SuppressWarnings("unchecked")
    static SimulatedAnswer plan(InferenceRequest request, List<String> reviewScript) {
        RequestFeatures f = request.features();
        List<String> thinking = f.thinking()
                ? List.of(THINKING, " The", " simulated", " backend", " only", " pretends", " to", " think.")
                : List.of();
        long seed = SimulatedJson.seed(request.model() + "\n" + lastText(request));
        List<ChatMessage> messages = request.messages();
        boolean afterTool = !messages.isEmpty() && messages.get(messages.size() - 1).role().equals("tool");
        if (!f.tools().isEmpty() && !afterTool) {
            Map<String, Object> tool = f.tools().get((int) Math.floorMod(seed, (long) f.tools().size()));
            Map<String, Object> function = tool.get("function") instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : Map.of();
            Object args = SimulatedJson.valueFor(function.getOrDefault("parameters",
                    Map.of("type", "object")), seed);
            return new SimulatedAnswer(thinking, List.of(), List.of(new ToolCall("call_sim_" + Long.toHexString(seed
                    & 0xffffffffL), String.valueOf(function.getOrDefault("name", "unnamed")),
                    args instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of())));
        }
        if (f.format() != null) {
            Object value = f.format() instanceof Map<?, ?> schema ? SimulatedJson.valueFor(schema, seed)
                    : Map.of("simulated", true, "answer", SimulatedBackend.BANNER);
            return new SimulatedAnswer(thinking, pieces(Json.encode(value)), List.of());
        }
        return new SimulatedAnswer(thinking, reviewScript, List.of());
    }

    private static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += JSON_PIECE) {
            out.add(text.substring(i, Math.min(text.length(), i + JSON_PIECE)));
        }
        return out;
    }

    private static String lastText(InferenceRequest request) {
        return request.messages().isEmpty() ? request.prompt()
                : request.messages().get(request.messages().size() - 1).content();
    }
}
