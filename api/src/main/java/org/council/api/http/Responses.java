package org.council.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/** Sends JSON answers; reads that may touch RocksDB run on a worker thread. Stateless. */
final class Responses {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Responses() {
    }

    /** Runs {@code read} on a worker (unordered, so requests run in parallel) and sends its JSON. */
    static void json(RoutingContext ctx, Callable<JsonNode> read) {
        send(ctx, ctx.vertx().executeBlocking(() -> MAPPER.writeValueAsBytes(read.call()), false));
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
        if (!ctx.response().closed()) {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", ErrorResponder.JSON_TYPE)
                    .end(Buffer.buffer(body));
        }
    }
}
