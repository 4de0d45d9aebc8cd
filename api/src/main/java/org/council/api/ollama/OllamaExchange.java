package org.council.api.ollama;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Confined to the request's context: the gateway's callbacks hop onto it, unless they arrive
 * on its event loop (a token with nothing waiting is then written at once, on this context). Tokens that arrive
 * while a hop is pending ride the same hop and go out in one write (still one NDJSON line each),
 * so a backend that outpaces the event loop costs one task and one flush per batch, not per token.
 */
final class OllamaExchange {

    static final String NDJSON = "application/x-ndjson";
    /** Bytes written but not yet taken by the client's socket above which the job pauses, and below which it resumes. */
    private static final long PAUSE_BYTES = 256 * 1024;
    private static final long RESUME_BYTES = 64 * 1024;

    private final ContextInternal context;
    private final HttpServerResponse response;
    private final OllamaCall call;
    /** The model name the gateway knows ({@code llama3} asked is {@code llama3:latest} served); answers echo the asked name. */
    private final String model;
    // Accessed by context thread
    private final OllamaChunkLines lines;
    // Accessed by context thread
    private boolean started;
    // Accessed by context thread
    private Job job;
    /** The job is paused because the client's socket is behind. */
    // Accessed by context thread
    private boolean paused;
    // Accessed by context thread
    private long unflushed;
    /** Tokens from the backend's thread waiting for the next hop onto the context. */
    private final ConcurrentLinkedQueue<Piece> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean hopScheduled = new AtomicBoolean();

    private record Piece(String text, boolean thinking) {
    }

    OllamaExchange(Context context, HttpServerResponse response, OllamaCall call, String model) {
        this.context = (ContextInternal) context;
        this.response = response;
        this.call = call;
        this.model = model;
        this.lines = new OllamaChunkLines(call.shape(), call.model());
    }

    /** Submits the job and answers it. Call on the request's context. */
    void run(ChatGateway gateway) {
        TokenSink sink = call.stream() ? new TokenSink() {
            @Override
            public void onToken(String text) {
                offer(text, false);
            }

            @Override
            public void onThinking(String text) {
                offer(text, true);
            }
        } : TokenSink.NONE;
        job = gateway.submit(call.toRequest(model), sink);
        response.closeHandler(v -> job.cancel());
        job.result().onComplete(ar -> context.runOnContext(v -> finish(ar)));
    }

    private boolean gone() {
        return response.ended() || response.closed();
    }

    /**
     * Any thread: queue a piece and make sure one hop onto the context will write it. On the
     * context with nothing queued (the backend's connection lives on the request's event loop, see
     * the bridge's LoopClients), the piece is written at once: a hop would queue it behind every
     * other task of a busy loop, which was a large part of the time to first token. Pieces that
     * follow it in the same burst still share one hop and one write.
     */
    private void offer(String text, boolean thinking) {
        if (!hopScheduled.get() && pending.isEmpty() && context.inThread()) {
            // on the request's event loop: its own context, or one sharing its thread (a peer's job
            // whose tokens arrive on the peer context), entered in place rather than by a task
            hopScheduled.set(true);
            context.emit(v -> writePiece(text, thinking));
            // the rest of this burst rides one hop, as if this piece had waited for it
            context.runOnContext(v -> writePending());
            return;
        }
        pending.add(new Piece(text, thinking));
        if (hopScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> writePending());
        }
    }

    /** On the context, nothing queued: one piece, written now. */
    private void writePiece(String text, boolean thinking) {
        if (!gone() && !text.isEmpty()) {
            Buffer out = Buffer.buffer(lines.lineBytes(text));
            lines.append(out, text, thinking);
            write(out);
        }
    }

    /** On the context: every queued piece as its own NDJSON line, in order, in one write. */
    private void writePending() {
        hopScheduled.set(false);
        Buffer out = null;
        for (Piece p = pending.poll(); p != null; p = pending.poll()) {
            if (gone() || p.text().isEmpty()) {
                continue;
            }
            if (out == null) {
                out = Buffer.buffer(256);
            }
            lines.append(out, p.text(), p.thinking());
        }
        if (out != null) {
            write(out);
        }
    }

    private void write(Buffer out) {
        startStream();
        int bytes = out.length();
        unflushed += bytes;
        response.write(out).onComplete(ar -> flushed(bytes));
        if (!paused && unflushed > PAUSE_BYTES && job != null) {
            paused = true; // the client's socket is behind: stop reading the backend
            job.pause();
        }
    }

    /**
     * A client reading slower than the model writes pauses the backend stream (down to the model
     * server's socket) until what was written has reached the socket, rather than the node
     * buffering its tokens. Counted from write completions: writeQueueFull() right after a write
     * does not see bytes the connection has not yet taken.
     */
    private void flushed(int bytes) {
        unflushed -= bytes;
        if (paused && unflushed <= RESUME_BYTES) {
            paused = false;
            job.resume();
        }
    }

    private void startStream() {
        if (!started) {
            started = true;
            response.setStatusCode(200).setChunked(true).putHeader("content-type", NDJSON);
        }
    }

    private void finish(AsyncResult<InferenceResult> ar) {
        writePending(); // every token the backend delivered goes out before the final object
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
