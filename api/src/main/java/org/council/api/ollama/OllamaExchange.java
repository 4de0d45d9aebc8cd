package org.council.api.ollama;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.council.api.ChatGateway;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.TokenSink;

/**
 * One {@code /api/chat} or {@code /api/generate} answer. Streamed: NDJSON chunks as tokens (and
 * thinking) arrive, a chunk with the tool calls if the model made any, then the {@code done} object; a failure before the first chunk is an HTTP error status, a failure
 * after it a final {@code {"error":...}} line (as Ollama does). Not streamed: one JSON object.
 * Headers go out with the first chunk, so an unknown model or a full queue still gets its status.
 * When the client goes away the job is cancelled.
 *
 * <p>Confined to the request's context: the gateway's callbacks hop onto it.
 */
final class OllamaExchange {

    static final String NDJSON = "application/x-ndjson";

    private final Context context;
    private final HttpServerResponse response;
    private final OllamaCall call;
    /** The model name the gateway knows ({@code llama3} asked is {@code llama3:latest} served); answers echo the asked name. */
    private final String model;
    private boolean started;

    OllamaExchange(Context context, HttpServerResponse response, OllamaCall call, String model) {
        this.context = context;
        this.response = response;
        this.call = call;
        this.model = model;
    }

    /** Submits the job and answers it. Call on the request's context. */
    void run(ChatGateway gateway) {
        TokenSink sink = call.stream() ? new TokenSink() {
            @Override
            public void onToken(String text) {
                context.runOnContext(v -> OllamaExchange.this.onToken(text, false));
            }

            @Override
            public void onThinking(String text) {
                context.runOnContext(v -> OllamaExchange.this.onToken(text, true));
            }
        } : TokenSink.NONE;
        Job job = gateway.submit(call.toRequest(model), sink);
        response.closeHandler(v -> job.cancel());
        job.result().onComplete(ar -> context.runOnContext(v -> finish(ar)));
    }

    private boolean gone() {
        return response.ended() || response.closed();
    }

    private void onToken(String text, boolean thinking) {
        if (gone() || text.isEmpty()) {
            return;
        }
        startStream();
        response.write(Buffer.buffer(OllamaJson.line(thinking ? OllamaJson.thinkingChunk(call.shape(), call.model(), text)
                : OllamaJson.chunk(call.shape(), call.model(), text))));
    }

    private void startStream() {
        if (!started) {
            started = true;
            response.setStatusCode(200).setChunked(true).putHeader("content-type", NDJSON);
        }
    }

    private void finish(AsyncResult<InferenceResult> ar) {
        if (gone()) {
            return;
        }
        if (ar.failed()) {
            OllamaError e = OllamaError.from(ar.cause(), call.model());
            if (started) {
                response.end(Buffer.buffer(OllamaJson.line(OllamaJson.error(e.getMessage()))));
            } else {
                OllamaApi.fail(response, e);
            }
            return;
        }
        InferenceResult result = ar.result();
        if (call.stream()) {
            startStream();
            if (!result.toolCalls().isEmpty() && call.shape() == OllamaCall.Shape.CHAT) {
                response.write(Buffer.buffer(OllamaJson.line(OllamaJson.toolCallChunk(call.model(), result.toolCalls()))));
            }
            response.end(Buffer.buffer(OllamaJson.line(OllamaJson.done(call.shape(), call.model(), "", result))));
        } else {
            OllamaApi.send(response, 200, OllamaJson.done(call.shape(), call.model(), result.text(), result,
                    true));
        }
    }
}
