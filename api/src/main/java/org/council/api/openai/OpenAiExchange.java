package org.council.api.openai;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.council.api.ChatGateway;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.TokenSink;

/**
 * One {@code /v1/chat/completions} or {@code /v1/completions} answer. Streamed: server-sent events,
 * a chunk per token (reasoning in {@code delta.reasoning}), one chunk with the tool calls if any, a chunk with the finish reason, the usage chunk when asked, then
 * {@code data: [DONE]}; a failure before the first chunk is an HTTP error status, a failure after it
 * an {@code data: {"error":{...}}} event (which OpenAI's clients raise as an error) and the end of the
 * stream. Not streamed: one JSON object. Headers go out with the first chunk, so an unknown model or
 * a full queue still gets its status. When the client goes away the job is cancelled.
 *
 * <p>Confined to the request's context: the gateway's callbacks hop onto it.
 */
final class OpenAiExchange {

    static final String SSE = "text/event-stream; charset=utf-8";
    private static final SecureRandom IDS = new SecureRandom();

    private final Context context;
    private final HttpServerResponse response;
    private final OpenAiCall call;
    /** The model name the gateway knows; answers echo the name asked for. */
    private final String model;
    private final OpenAiJson.Head head;
    private boolean started;

    OpenAiExchange(Context context, HttpServerResponse response, OpenAiCall call, String model) {
        this.context = context;
        this.response = response;
        this.call = call;
        this.model = model;
        byte[] id = new byte[12];
        IDS.nextBytes(id);
        this.head = new OpenAiJson.Head(call.shape(), (call.shape() == OpenAiCall.Shape.CHAT ? "chatcmpl-" : "cmpl-")
                + HexFormat.of().formatHex(id), Instant.now().getEpochSecond(), call.model());
    }

    /** Submits the job and answers it. Call on the request's context. */
    void run(ChatGateway gateway) {
        TokenSink sink = call.stream() ? new TokenSink() {
            @Override
            public void onToken(String text) {
                context.runOnContext(v -> OpenAiExchange.this.onToken(text, false));
            }

            @Override
            public void onThinking(String text) {
                context.runOnContext(v -> OpenAiExchange.this.onToken(text, true));
            }
        } : TokenSink.NONE;
        Job job = gateway.submit(call.toRequest(model), sink);
        response.closeHandler(v -> job.cancel());
        job.result().onComplete(ar -> context.runOnContext(v -> finish(ar)));
    }

    private boolean gone() {
        return response.ended() || response.closed();
    }

    private void onToken(String text, boolean reasoning) {
        if (gone() || text.isEmpty() || reasoning && call.shape() != OpenAiCall.Shape.CHAT) {
            return;
        }
        boolean first = !started;
        startStream();
        response.write(Buffer.buffer(OpenAiJson.event(reasoning
                ? OpenAiJson.reasoningChunk(head, text, first, call.includeUsage())
                : OpenAiJson.chunk(head, text, first, call.includeUsage()))));
    }

    private void startStream() {
        if (!started) {
            started = true;
            response.setStatusCode(200).setChunked(true).putHeader("content-type", SSE)
                    .putHeader("cache-control", "no-cache");
        }
    }

    private void finish(AsyncResult<InferenceResult> ar) {
        if (gone()) {
            return;
        }
        if (ar.failed()) {
            OpenAiError e = OpenAiError.from(ar.cause(), call.model());
            if (started) {
                response.end(Buffer.buffer(OpenAiJson.event(e.json())));
            } else {
                OpenAiApi.fail(response, e);
            }
            return;
        }
        InferenceResult result = ar.result();
        if (!call.stream()) {
            OpenAiApi.send(response, 200, OpenAiJson.completion(head, result));
            return;
        }
        boolean first = !started;
        startStream();
        Buffer out = Buffer.buffer();
        if (!result.toolCalls().isEmpty() && call.shape() == OpenAiCall.Shape.CHAT) {
            out.appendBytes(OpenAiJson.event(OpenAiJson.toolCallChunk(head, result, first, call.includeUsage())));
        } else if (first && call.shape() == OpenAiCall.Shape.CHAT) {
            // an answer with no text still announces its role, as OpenAI's first chunk does
            out.appendBytes(OpenAiJson.event(OpenAiJson.chunk(head, "", true, call.includeUsage())));
        }
        out.appendBytes(OpenAiJson.event(OpenAiJson.finish(head, result, call.includeUsage())));
        if (call.includeUsage()) {
            out.appendBytes(OpenAiJson.event(OpenAiJson.usageChunk(head, result)));
        }
        response.end(out.appendBytes(OpenAiJson.done()));
    }
}
