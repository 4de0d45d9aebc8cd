package org.council.bridge.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.TokenSink;
import org.council.bridge.ToolCall;
import org.council.bridge.Usage;
import org.council.bridge.http.HttpErrors;
import org.council.bridge.http.LineDecoder;

/**
 * Decodes {@code /v1/chat/completions}: server-sent events ({@code data: {chunk}} lines, a usage
 * chunk with empty {@code choices} when {@code stream_options.include_usage} is set, then
 * {@code data: [DONE]}), or one JSON body when not streamed. Confined to one event-loop thread.
 */
final class OpenAiDecoder implements LineDecoder<InferenceResult> {

    private final String backend;
    private final InferenceRequest request;
    private final TokenSink sink;
    private final long startedNanos = System.nanoTime();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder whole = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    /** Streamed tool calls by index: id, name and the arguments' JSON text as its fragments arrive. */
    private final java.util.TreeMap<Integer, String[]> calls = new java.util.TreeMap<>();
    private String model;
    private String finishReason = "";
    private JsonObject usage;
    private boolean done;

    OpenAiDecoder(String backend, InferenceRequest request, TokenSink sink) {
        this.backend = backend;
        this.request = request;
        this.sink = sink;
        this.model = request.model();
    }

    @Override
    public boolean onLine(String line) {
        if (!request.stream()) {
            whole.append(line).append('\n');
            return false;
        }
        if (!line.startsWith("data:")) {
            return false; // blank separators, comments (": ...") and "event:" lines
        }
        String data = line.substring(5).trim();
        if (data.equals("[DONE]")) {
            done = true;
            return true;
        }
        JsonObject chunk = new JsonObject(data);
        failOnError(chunk);
        model = chunk.getString("model", model);
        for (Object c : chunk.getJsonArray("choices", new JsonArray())) {
            if (c instanceof JsonObject choice) {
                JsonObject delta = choice.getJsonObject("delta", new JsonObject());
                String thought = reasoning(delta);
                if (!thought.isEmpty()) {
                    thinking.append(thought);
                    sink.onThinking(thought);
                }
                String piece = delta.getString("content");
                if (piece != null && !piece.isEmpty()) {
                    text.append(piece);
                    sink.onToken(piece);
                }
                toolCallDeltas(delta.getJsonArray("tool_calls"));
                if (choice.getString("finish_reason") != null) {
                    finishReason = choice.getString("finish_reason");
                }
            }
        }
        if (chunk.getJsonObject("usage") != null) {
            usage = chunk.getJsonObject("usage");
        }
        return false;
    }

    private void failOnError(JsonObject o) {
        if (o.containsKey("error")) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " reported an error: " + HttpErrors.errorMessage(o.encode()));
        }
    }

    @Override
    public InferenceResult finish() {
        if (!request.stream()) {
            JsonObject body = new JsonObject(whole.toString());
            failOnError(body);
            model = body.getString("model", model);
            JsonArray choices = body.getJsonArray("choices", new JsonArray());
            JsonObject first = choices.isEmpty() ? new JsonObject() : choices.getJsonObject(0);
            JsonObject message = first.getJsonObject("message", new JsonObject());
            String content = message.getString("content");
            text.append(content == null ? "" : content);
            thinking.append(reasoning(message));
            toolCallDeltas(message.getJsonArray("tool_calls"));
            finishReason = first.getString("finish_reason", "stop");
            usage = body.getJsonObject("usage");
            if (!text.isEmpty()) {
                sink.onToken(text.toString());
            }
        } else if (!done && finishReason.isEmpty()) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " ended the stream before a finish reason or [DONE]");
        }
        JsonObject u = usage == null ? new JsonObject() : usage;
        List<ToolCall> toolCalls = new ArrayList<>();
        for (String[] c : calls.values()) {
            Map<String, Object> args;
            try {
                args = c[2].isBlank() ? Map.of() : new JsonObject(c[2]).getMap();
            } catch (RuntimeException e) {
                throw new BridgeException(ErrorCode.BACKEND_ERROR, backend + " sent tool call arguments that are not "
                        + "a JSON object: " + c[2]);
            }
            toolCalls.add(new ToolCall(c[0], c[1], plain(args)));
        }
        String reason = finishReason.isEmpty() || finishReason.equals("tool_calls") ? "stop" : finishReason;
        return new InferenceResult(model, backend, text.toString(), reason,
                new Usage(u.getLong("prompt_tokens", 0L), u.getLong("completion_tokens", 0L),
                        System.nanoTime() - startedNanos, 0, 0, 0), thinking.toString(), toolCalls, List.of());
    }

    /** llama.cpp and vLLM call it {@code reasoning_content}, Ollama {@code reasoning}. */
    private static String reasoning(JsonObject o) {
        String r = o.getString("reasoning_content");
        if (r == null) {
            r = o.getString("reasoning");
        }
        return r == null ? "" : r;
    }

    /** OpenAI streams a call's id and name once, then its arguments' JSON text in fragments, keyed by index. */
    private void toolCallDeltas(JsonArray list) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.getValue(i) instanceof JsonObject d)) {
                continue;
            }
            String[] c = calls.computeIfAbsent(d.getInteger("index", calls.size()), k -> new String[] {"", "", ""});
            if (d.getString("id") != null) {
                c[0] = d.getString("id");
            }
            JsonObject fn = d.getJsonObject("function", new JsonObject());
            if (fn.getString("name") != null) {
                c[1] = fn.getString("name");
            }
            if (fn.getString("arguments") != null) {
                c[2] += fn.getString("arguments");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(Map<String, Object> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof JsonObject o ? plain(o.getMap())
                : v instanceof JsonArray a ? plainList(a.getList()) : v instanceof Map<?, ?> x
                ? plain((Map<String, Object>) x) : v instanceof List<?> l ? plainList((List<Object>) l) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> plainList(List<Object> l) {
        List<Object> out = new ArrayList<>();
        for (Object v : l) {
            out.add(v instanceof JsonObject o ? plain(o.getMap()) : v instanceof JsonArray a ? plainList(a.getList())
                    : v instanceof Map<?, ?> x ? plain((Map<String, Object>) x) : v instanceof List<?> y
                    ? plainList((List<Object>) y) : v);
        }
        return out;
    }
}
