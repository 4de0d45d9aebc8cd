package org.council.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/** Sends JSON answers; reads that may touch RocksDB run on a worker thread. Stateless. */
final class Responses {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Direct memory for written answers ({@link JsonSink#toDirect}): one arena of 2 MiB chunks
     * (8 KiB pages, order 8), so that an answer up to a page of {@link AuditApi#MAX_LIMIT} events is
     * carved from a chunk kept for the next. Netty's default allocator (adaptive, as Vert.x's)
     * pools small buffers only: each ~100 KB page got a fresh direct buffer, which the JDK zeroes,
     * 6% of the audit server's CPU (perf, 1M events). One arena keeps the memory at a chunk or two,
     * and its lock, taken once an answer, is uncontended beside the work of rendering it. No
     * thread caches: buffers are taken on workers and released on the event loop.
     */
    private static final ByteBufAllocator ANSWERS = new PooledByteBufAllocator(true, 0, 1, 8192, 8, 0, 0, false);

    private Responses() {
    }

    /** Runs {@code read} on a worker (unordered, so requests run in parallel) and sends its JSON. */
    static void json(RoutingContext ctx, Callable<JsonNode> read) {
        send(ctx, ctx.vertx().executeBlocking(() -> MAPPER.writeValueAsBytes(read.call()), false));
    }

    /**
     * Runs {@code read} on a worker as {@link #json} does, for answers already written as JSON
     * bytes (event pages: see {@link EventWriter}); gzipped there too when the client accepts it.
     * A plain answer goes out in a pooled direct buffer ({@link JsonSink#toDirect}), released
     * here once the write is done or refused, whichever way the response ends.
     */
    static void written(RoutingContext ctx, Callable<JsonSink> read) {
        boolean gzip = Gzip.accepted(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
        ctx.vertx().executeBlocking(() -> {
            JsonSink body = read.call();
            // a gzipped answer is in a Vert.x heap buffer, whose release() does nothing
            return gzip ? ((BufferInternal) body.gzipped()).getByteBuf() : body.toDirect(ANSWERS);
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ByteBuf body = ar.result();
            HttpServerResponse res = ctx.response();
            if (res.closed() || res.ended()) {
                body.release();
                return;
            }
            try {
                res.putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
                if (gzip) {
                    res.putHeader(HttpHeaders.CONTENT_ENCODING, Gzip.ENCODING);
                }
                res.setStatusCode(200).putHeader("content-type", ErrorResponder.JSON_TYPE);
            } catch (RuntimeException e) {
                body.release();
                throw e;
            }
            // Vert.x hands Netty an unreleasable view of it, so the buffer stays ours to release;
            // end's future completes when the bytes are written or the write has failed
            res.end(BufferInternal.buffer(body)).onComplete(sent -> body.release());
        });
    }

    /** Sends the JSON bytes {@code body} completes with, or fails the request with its cause. */
    static void send(RoutingContext ctx, io.vertx.core.Future<byte[]> body) {
        body.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                send(ctx, 200, ar.result());
            }
        });
    }

    /** Sends already-built JSON from the current thread (for cheap in-memory answers). */
    static void now(RoutingContext ctx, int status, Object value) {
        try {
            send(ctx, status, MAPPER.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static void send(RoutingContext ctx, int status, byte[] body) {
        send(ctx, status, Buffer.buffer(body));
    }

    private static void send(RoutingContext ctx, int status, Buffer body) {
        if (!ctx.response().closed()) {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", ErrorResponder.JSON_TYPE)
                    .end(body);
        }
    }
}
