package org.council.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.council.api.CouncilAsk;
import org.council.api.NoCouncilException;
import org.council.api.NodeActions;
import org.council.crypto.ApiToken;

/**
 * The acting endpoints: {@code POST /council} (one JSON result, or the stages as server-sent
 * events) and {@code POST /peers}. Every one needs {@code Authorization: Bearer <token>}; without
 * it the answer is 401 {@code UNAUTHORIZED} and nothing is done. Thread-safe.
 */
final class ActionApi {

    private static final System.Logger LOG = System.getLogger(ActionApi.class.getName());
    /** Request bodies larger than this are refused with 413. */
    static final long MAX_BODY = 64 * 1024;
    static final String SSE_TYPE = "text/event-stream";

    private final NodeActions actions;
    private final ApiToken token;

    ActionApi(NodeActions actions, ApiToken token) {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.token = Objects.requireNonNull(token, "token");
    }

    void mount(Router r) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        // Vert.x Web runs body handlers before user handlers; the body is bounded, so reading it
        // before the token check costs at most MAX_BODY per refused request.
        r.post(AuditApi.BASE + "/council").handler(body).handler(this::authorize).handler(this::council);
        r.post(AuditApi.BASE + "/peers").handler(body).handler(this::authorize).handler(this::addPeer);
    }

    private void authorize(RoutingContext ctx) {
        if (token.matchesHeader(ctx.request().getHeader("authorization"))) {
            ctx.next();
        } else {
            ctx.response().putHeader("www-authenticate", "Bearer realm=\"council\"");
            ctx.fail(new ApiException(ErrorCode.UNAUTHORIZED, "this endpoint acts for the node: send "
                    + "`Authorization: Bearer <token>` (the token is in the node's data dir, file api.token)"));
        }
    }

    private static JsonNode jsonBody(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json, got " + type);
        }
        io.vertx.core.buffer.Buffer raw = ctx.body().buffer();
        if (raw == null || raw.length() == 0) {
            throw ApiException.badRequest("the request needs a JSON object body");
        }
        try {
            JsonNode n = Responses.MAPPER.readTree(raw.getBytes());
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest("`" + field + "` is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("`" + field + "` must be a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode body, String field, int dflt) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw ApiException.badRequest("`" + field + "` must be an integer");
        }
        return v.intValue();
    }

    static CouncilAsk councilAsk(JsonNode body) {
        List<String> models = new ArrayList<>();
        JsonNode m = body.get("models");
        if (m != null && !m.isNull()) {
            if (!m.isArray()) {
                throw ApiException.badRequest("`models` must be an array of model names");
            }
            for (JsonNode x : m) {
                if (!x.isTextual() || x.asText().isBlank()) {
                    throw ApiException.badRequest("`models` must be an array of model names");
                }
                models.add(x.asText());
            }
        }
        try {
            return new CouncilAsk(text(body, "question", true), integer(body, "members", CouncilAsk.DEFAULT_MEMBERS),
                    models, integer(body, "timeout_seconds", CouncilAsk.DEFAULT_TIMEOUT_SECONDS));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private void council(RoutingContext ctx) {
        JsonNode body = jsonBody(ctx);
        CouncilAsk ask = councilAsk(body);
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean()) {
            throw ApiException.badRequest("`stream` must be true or false");
        }
        String accept = ctx.request().getHeader("accept");
        boolean sse = stream != null ? stream.booleanValue() : accept != null && accept.contains(SSE_TYPE);
        if (sse) {
            councilStream(ctx, ask);
            return;
        }
        actions.askCouncil(ask, p -> { }).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.now(ctx, 200, ar.result());
            } else {
                ctx.fail(failure(ar.cause()));
            }
        });
    }

    // One SSE event per stage progress, then `result` (or `error`) and the end of the response.
    private void councilStream(RoutingContext ctx, CouncilAsk ask) {
        HttpServerResponse res = ctx.response();
        res.setChunked(true)
                .putHeader("content-type", SSE_TYPE)
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        res.write(": council query started\n\n");
        actions.askCouncil(ask, p -> sse(res, String.valueOf(p.getOrDefault("type", "progress")), p))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        sse(res, "result", ar.result());
                    } else {
                        ApiException e = failure(ar.cause());
                        sse(res, "error", Map.of("error", Map.of("code", e.code().name(), "message", e.getMessage())));
                    }
                    if (!res.ended() && !res.closed()) {
                        res.end();
                    }
                });
    }

    private static void sse(HttpServerResponse res, String event, Object data) {
        if (res.ended() || res.closed()) {
            return;
        }
        try {
            res.write("event: " + event + "\ndata: " + Responses.MAPPER.writeValueAsString(data) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("council progress is not JSON-serializable", e);
        }
    }

    /** The API error for a failed action: typed failures keep their code, anything else is INTERNAL. */
    private static ApiException failure(Throwable t) {
        if (t instanceof ApiException a) {
            return a;
        }
        if (t instanceof IllegalArgumentException) {
            return ApiException.badRequest(t.getMessage());
        }
        if (t instanceof NoCouncilException) {
            return new ApiException(ErrorCode.NO_COUNCIL, t.getMessage());
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return new ApiException(ErrorCode.TIMEOUT, t.getMessage());
        }
        // a bug or an unexpected state: logged here, never sent (INTERNAL carries no exception text)
        LOG.log(System.Logger.Level.ERROR, "an acting endpoint failed unexpectedly", t);
        return new ApiException(ErrorCode.INTERNAL, "the council query failed: internal error");
    }

    private void addPeer(RoutingContext ctx) {
        String address = text(jsonBody(ctx), "address", true);
        actions.addPeer(address).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.now(ctx, 202, Map.of("address", address, "status", "dialing"));
            } else {
                ctx.fail(failure(ar.cause()));
            }
        });
    }
}
