package org.council.bridge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;

/**
 * One HTTP exchange whose response body is read line by line as it streams in (Ollama's NDJSON,
 * OpenAI's server-sent events) and decoded into one result.
 *
 * <p>Timeouts: the {@link RequestOptions} idle timeout fails a stalled stream, the connect
 * timeout a server that does not accept, and {@code totalTimeoutMs} bounds the whole exchange.
 * Every failure, timeout and {@link #cancel()} resets the request, which on HTTP/1.x closes the
 * upstream connection so the model server stops generating.
 *
 * <p>Thread-safe. The result completes on the event-loop thread of the HTTP connection (a
 * cancellation fails it once the reset is done, or at once on the cancelling thread if the
 * request was not yet sent).
 *
 * @param <T> the result type
 */
public final class StreamingHttpCall<T> {

    private final Promise<T> promise = Promise.promise();
    private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    private final AtomicReference<BridgeException> firstError = new AtomicReference<>();
    private final String backend;
    private final String model;
    private final LineDecoder<T> decoder;
    private final int maxLineBytes;
    private final Vertx vertx;
    /** The unfinished last line, or null. Accessed by the connection's event loop. */
    private Buffer pending;
    private long timerId = -1;
    private long stallTimerId = -1;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Wanted by {@link #pause()}/{@link #resume()}; applied on the response's context. */
    private volatile boolean paused;
    private volatile HttpClientResponse response;
    private volatile Context responseContext;
    private final long stallMs;

    private StreamingHttpCall(Vertx vertx, String backend, String model, LineDecoder<T> decoder, int maxLineBytes,
            long stallMs) {
        this.vertx = vertx;
        this.stallMs = stallMs;
        this.backend = backend;
        this.model = model;
        this.decoder = decoder;
        this.maxLineBytes = maxLineBytes;
    }

    /** Sends {@code body} with {@code options} and starts decoding the answer. */
    public static <T> StreamingHttpCall<T> start(Vertx vertx, HttpClient client, String backend, String model,
            RequestOptions options, Buffer body, long totalTimeoutMs, int maxLineBytes, LineDecoder<T> decoder) {
        StreamingHttpCall<T> call = new StreamingHttpCall<>(vertx, backend, model, decoder, maxLineBytes,
                options.getIdleTimeout());
        call.begin(client, options, body, totalTimeoutMs);
        return call;
    }

    public Future<T> result() {
        return promise.future();
    }

    /** Stops reading the answer until {@link #resume()}; paused is not stalled (total timeout only). Any thread. */
    public void pause() {
        want(true);
    }

    /** Reads the answer again. Any thread. */
    public void resume() {
        want(false);
    }

    private void want(boolean pause) { // on any thread; the stream is touched only on its context
        paused = pause;
        HttpClientResponse r = response;
        if (r != null) { // else onResponse applies it
            responseContext.runOnContext(v -> flow(r));
        }
    }

    /** On the response's context: brings the stream to the latest wanted state (idempotent). */
    private void flow(HttpClientResponse r) {
        if (promise.future().isComplete()) {
            return;
        }
        boolean pause = paused;
        HttpClientRequest req = request.get();
        if (req != null && stallMs > 0) {
            req.idleTimeout(pause ? TimeUnit.DAYS.toMillis(1) : stallMs); // paused: the total timeout bounds it
        }
        lastActivityNanos = System.nanoTime();
        if (pause) {
            r.pause();
        } else {
            r.resume();
        }
    }

    /** Closes the upstream request and fails the result with {@code CANCELLED}. */
    public void cancel() {
        fail(BridgeException.cancelled());
    }

    private void begin(HttpClient client, RequestOptions options, Buffer body, long totalTimeoutMs) {
        if (totalTimeoutMs > 0) {
            long id = vertx.setTimer(totalTimeoutMs, t -> fail(new BridgeException(ErrorCode.TIMEOUT,
                    backend + " did not finish within " + totalTimeoutMs + " ms")));
            synchronized (this) {
                timerId = id;
            }
        }
        if (options.getIdleTimeout() > 0) {
            armStallTimer(options.getIdleTimeout());
        }
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                fail(HttpErrors.fromThrowable(backend, ar.cause()));
                return;
            }
            HttpClientRequest req = ar.result();
            request.set(req);
            req.exceptionHandler(t -> fail(HttpErrors.fromThrowable(backend, t), false)); // also our own reset
            if (options.getIdleTimeout() > 0) {
                req.idleTimeout(options.getIdleTimeout()); // the stall timeout, re-armed by every byte
            }
            if (firstError.get() != null) {
                req.reset().onComplete(v -> promise.tryFail(firstError.get()));
                return;
            }
            // handlers before the request goes out: set in send()'s callback they can miss chunks (vert.x#5825)
            req.response().onComplete(rar -> {
                if (rar.failed()) {
                    fail(HttpErrors.fromThrowable(backend, rar.cause()));
                } else {
                    onResponse(rar.result());
                }
            });
            req.end(body);
        });
    }

    private void onResponse(HttpClientResponse response) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            response.body().onComplete(b -> fail(HttpErrors.fromStatus(backend, model, status,
                    b.succeeded() ? b.result().toString(StandardCharsets.UTF_8) : ""), false));
            return;
        }
        response.exceptionHandler(t -> fail(HttpErrors.fromThrowable(backend, t)));
        response.handler(this::feed);
        this.responseContext = Vertx.currentContext();
        this.response = response;
        if (paused) {
            flow(response);
        }
        response.endHandler(v -> {
            if (promise.future().isComplete()) {
                return;
            }
            try {
                if (pending != null && pending.length() > 0 && deliver(pending.toString(StandardCharsets.UTF_8))) {
                    return;
                }
                succeed(decoder.finish());
            } catch (RuntimeException e) {
                fail(HttpErrors.fromThrowable(backend, e), false);
            }
        });
    }

    /** Fails the call when no byte arrived for {@code stallMs}; re-arms itself for the remainder. */
    private void armStallTimer(long stallMs) {
        long id = vertx.setTimer(Math.max(1, stallMs - (System.nanoTime() - lastActivityNanos) / 1_000_000), t -> {
            long idleMs = (System.nanoTime() - lastActivityNanos) / 1_000_000;
            if (promise.future().isComplete()) {
                return;
            }
            if (paused) {
                lastActivityNanos = System.nanoTime(); // waiting for our reader is not a stall
                armStallTimer(stallMs);
            } else if (idleMs >= stallMs) {
                fail(new BridgeException(ErrorCode.TIMEOUT, backend + " sent nothing for " + idleMs + " ms"));
            } else {
                armStallTimer(stallMs);
            }
        });
        synchronized (this) {
            stallTimerId = id;
        }
    }

    /**
     * Splits lines in place: whole lines decode from the chunk's bytes, only a tail is copied. Netty's search checks
     * the buffer once a line; {@code Buffer.getByte} checked it (reference count, bounds) once a byte.
     */
    private void feed(Buffer chunk) {
        lastActivityNanos = System.nanoTime();
        if (promise.future().isComplete() || firstError.get() != null) {
            return;
        }
        try {
            ByteBuf bytes = chunk instanceof BufferInternal b ? b.getByteBuf() : Unpooled.wrappedBuffer(chunk.getBytes());
            int n = chunk.length();
            int from = 0;
            boolean complete = false;
            for (int i = bytes.indexOf(0, n, (byte) '\n'); i >= 0 && !complete; i = bytes.indexOf(from, n, (byte) '\n')) {
                String line = pending == null ? bytes.toString(from, i - from, StandardCharsets.UTF_8) // the one copy
                        : pending.appendBuffer(chunk, from, i - from).toString(StandardCharsets.UTF_8);
                pending = null;
                from = i + 1;
                complete = deliver(line);
            }
            if (!complete && from < n) {
                pending = pending == null ? Buffer.buffer(n - from) : pending;
                pending.appendBuffer(chunk, from, n - from);
                if (pending.length() > maxLineBytes) {
                    fail(new BridgeException(ErrorCode.BACKEND_ERROR,
                            backend + " sent a line longer than " + maxLineBytes + " bytes"));
                }
            }
        } catch (RuntimeException e) {
            fail(e instanceof BridgeException b ? b : new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " sent an unreadable line: " + e.getMessage(), null, e));
        }
    }

    /** Hands one line to the decoder; true if the call is now complete. */
    private boolean deliver(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (decoder.onLine(line)) {
            succeed(decoder.finish());
            return true;
        }
        return promise.future().isComplete();
    }

    private void succeed(T value) {
        if (firstError.get() == null) {
            cancelTimer();
            promise.tryComplete(value);
        }
    }

    private void fail(BridgeException e) {
        fail(e, true);
    }

    /**
     * Fails the call with the first error only. When closing upstream, the result fails once the
     * reset is done, so a backend slot is not reused before its connection is closed.
     */
    private void fail(BridgeException e, boolean closeUpstream) {
        if (promise.future().isComplete() || !firstError.compareAndSet(null, e)) {
            return;
        }
        cancelTimer();
        HttpClientRequest req = request.get();
        if (closeUpstream && req != null) {
            req.reset().onComplete(v -> promise.tryFail(e));
        } else {
            promise.tryFail(e);
        }
    }

    private void cancelTimer() {
        long[] ids;
        synchronized (this) {
            ids = new long[] {timerId, stallTimerId};
            timerId = -1;
            stallTimerId = -1;
        }
        for (long id : ids) {
            if (id >= 0) {
                vertx.cancelTimer(id);
            }
        }
    }
}
