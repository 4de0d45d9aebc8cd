package org.council.bridge.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.TokenSink;
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
                String piece = choice.getJsonObject("delta", new JsonObject()).getString("content");
                if (piece != null && !piece.isEmpty()) {
                    text.append(piece);
                    sink.onToken(piece);
                }
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
            text.append(first.getJsonObject("message", new JsonObject()).getString("content", ""));
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
        return new InferenceResult(model, backend, text.toString(), finishReason.isEmpty() ? "stop" : finishReason,
                new Usage(u.getLong("prompt_tokens", 0L), u.getLong("completion_tokens", 0L),
                        System.nanoTime() - startedNanos, 0, 0, 0));
    }
}
