package org.council.bridge.ollama;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.TokenSink;
import org.council.bridge.ToolCall;
import org.council.bridge.Usage;
import org.council.bridge.http.LineDecoder;

/**
 * Decodes Ollama's {@code /api/chat} and {@code /api/generate} answers: NDJSON chunks ending with
 * a {@code "done": true} object that carries usage, or one object when {@code "stream": false}.
 * Thinking ({@code message.thinking} / {@code thinking}) streams to the sink's
 * {@code onThinking}; tool calls ({@code message.tool_calls}) are collected for the result.
 * A {@code {"error": ...}} line fails the call even though the HTTP status was 200.
 * Confined to one event-loop thread.
 */
final class OllamaDecoder implements LineDecoder<InferenceResult> {

    private final String backend;
    private final InferenceRequest request;
    private final TokenSink sink;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder whole = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final List<ToolCall> toolCalls = new ArrayList<>();
    private final OllamaChunkScan scan = new OllamaChunkScan();
    private JsonObject last;

    OllamaDecoder(String backend, InferenceRequest request, TokenSink sink) {
        this.backend = backend;
        this.request = request;
        this.sink = sink;
    }

    @Override
    public boolean onLine(String line) {
        if (line.isBlank()) {
            return false;
        }
        if (!request.stream()) {
            whole.append(line).append('\n');
            return false;
        }
        if (scan.read(line)) {
            boolean chat = request.kind() == InferenceRequest.Kind.CHAT;
            emit(chat ? scan.content() : scan.response(), chat ? scan.messageThinking() : scan.thinking());
            return false;
        }
        return chunk(new JsonObject(line));
    }

    private boolean chunk(JsonObject o) {
        if (o.containsKey("error")) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " reported an error: " + o.getValue("error"));
        }
        boolean chat = request.kind() == InferenceRequest.Kind.CHAT;
        JsonObject message = o.getJsonObject("message", new JsonObject());
        String piece = chat ? message.getString("content", "") : o.getString("response", "");
        String thought = chat ? message.getString("thinking", "") : o.getString("thinking", "");
        toolCalls.addAll(OllamaWire.toolCalls(message.getJsonArray("tool_calls")));
        emit(piece, thought);
        if (o.getBoolean("done", false)) {
            last = o;
            return true;
        }
        return false;
    }

    /** Thinking first, then text, as one chunk carries them; empty or absent pieces are skipped. */
    private void emit(String piece, String thought) {
        if (thought != null && !thought.isEmpty()) {
            thinking.append(thought);
            if (request.stream()) {
                sink.onThinking(thought);
            }
        }
        if (piece != null && !piece.isEmpty()) {
            text.append(piece);
            if (request.stream()) {
                sink.onToken(piece);
            }
        }
    }

    @Override
    public InferenceResult finish() {
        if (!request.stream() && last == null && !whole.isEmpty()) {
            chunk(new JsonObject(whole.toString()));
            if (!text.isEmpty()) {
                sink.onToken(text.toString());
            }
        }
        if (last == null) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " ended the answer without its final \"done\" object");
        }
        Usage usage = new Usage(
                last.getLong("prompt_eval_count", 0L),
                last.getLong("eval_count", 0L),
                last.getLong("total_duration", 0L),
                last.getLong("load_duration", 0L),
                last.getLong("prompt_eval_duration", 0L),
                last.getLong("eval_duration", 0L));
        return new InferenceResult(last.getString("model", request.model()), backend, text.toString(),
                last.getString("done_reason", "stop"), usage, thinking.toString(), toolCalls, List.of());
    }
}
