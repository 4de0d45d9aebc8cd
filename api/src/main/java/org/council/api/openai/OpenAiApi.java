package org.council.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.council.api.ChatGateway;
import org.council.api.Contexts;
import org.council.bridge.Job;
import org.council.bridge.ModelInfo;

/**
 * OpenAI's API under {@code /v1}, on the Ollama-compatible port as real Ollama serves it, over the
 * {@link ChatGateway}: {@code POST /v1/chat/completions} and {@code POST /v1/completions} (one JSON
 * object, or server-sent events with {@code "stream": true}), {@code GET /v1/models} and
 * {@code GET /v1/models/{id}} and {@code POST /v1/embeddings}, with tools, response formats, reasoning
 * and images ({@link OpenAiFeatures}, {@link OpenAiMessages}). Errors
 * are OpenAI's {@code {"error":{"message","type","param","code"}}}, including for an unknown
 * {@code /v1} path. Model names resolve as Ollama's do ({@code llama3} finds {@code llama3:latest}).
 * See {@code docs/openai-compatible.md} for every field: served, refused, or ignored.
 *
 * <p>Mounted on the Ollama-compatible router after its browser guard, so origins, {@code Host} and
 * the bearer token are checked first. Thread-safe; never blocks an event loop.
 */
public final class OpenAiApi {

    /** As the Ollama routes: long chat histories and a few base64 images. */
    static final long MAX_BODY = 20L * 1024 * 1024;
    static final String JSON_TYPE = "application/json; charset=utf-8";

    private final ChatGateway gateway;
    private final long startedAt = Instant.now().getEpochSecond();

    public OpenAiApi(ChatGateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /** Adds the {@code /v1} routes, and their error handling, to {@code r}. */
    public void mount(Router r) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        r.get("/v1/models").handler(this::models);
        r.getWithRegex("/v1/models/(?<id>.+)").handler(this::model);
        r.post("/v1/chat/completions").handler(body).handler(ctx -> generation(ctx, OpenAiRequests::chat));
        r.post("/v1/completions").handler(body).handler(ctx -> generation(ctx, OpenAiRequests::completion));
        r.post("/v1/embeddings").handler(body).handler(this::embeddings);
        r.route("/v1/*").handler(ctx -> fail(ctx.response(),
                OpenAiError.invalidUrl(ctx.request().method().name(), ctx.request().path())));
        r.route("/v1/*").failureHandler(ctx -> fail(ctx.response(), failure(ctx)));
    }

    private void models(RoutingContext ctx) {
        withModels(ctx, "", models -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode().put("object", "list");
            ArrayNode data = o.putArray("data");
            models.forEach(m -> data.add(OpenAiJson.model(m, startedAt)));
            send(ctx.response(), 200, o);
        });
    }

    private void model(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        withModel(ctx, id, m -> send(ctx.response(), 200, OpenAiJson.model(m, startedAt)));
    }

    private void generation(RoutingContext ctx, Function<JsonNode, OpenAiCall> parse) {
        OpenAiCall call = parse.apply(OpenAiRequests.object(ctx.body()));
        withModel(ctx, call.model(), m -> new OpenAiExchange(ctx.vertx().getOrCreateContext(), ctx.response(),
                call, m.name()).run(gateway));
    }

    private void embeddings(RoutingContext ctx) {
        OpenAiEmbeddings.Call call = OpenAiEmbeddings.read(OpenAiRequests.object(ctx.body()));
        withModel(ctx, call.model(), m -> {
            Context context = ctx.vertx().getOrCreateContext();
            Job job = gateway.submit(call.toRequest(m.name()), text -> { });
            ctx.response().closeHandler(v -> job.cancel());
            job.result().onComplete(ar -> context.runOnContext(v -> {
                if (ar.failed()) {
                    fail(ctx.response(), OpenAiError.from(ar.cause(), call.model()));
                } else {
                    send(ctx.response(), 200, OpenAiEmbeddings.answer(call, ar.result()));
                }
            }));
        });
    }

    /** Runs {@code then} with the gateway's models on the request's context; its failures are answered. */
    private void withModels(RoutingContext ctx, String model, Consumer<List<ModelInfo>> then) {
        answered(ctx, model, gateway.models(), then);
    }

    /** Runs {@code then} with the model {@code model} means, on the request's context; else 404 or its failure. */
    private void withModel(RoutingContext ctx, String model, Consumer<ModelInfo> then) {
        answered(ctx, model, gateway.model(model),
                found -> then.accept(found.orElseThrow(() -> OpenAiError.modelNotFound(model))));
    }

    private <T> void answered(RoutingContext ctx, String model, Future<T> f, Consumer<T> then) {
        // at once when already on the request's context: a hop would queue the request's start
        // behind every other task of a busy event loop (time to first token)
        Contexts.onContext(ctx.vertx().getOrCreateContext(), f, ar -> {
            try {
                if (ar.failed()) {
                    throw OpenAiError.from(ar.cause(), model);
                }
                then.accept(ar.result());
            } catch (RuntimeException e) {
                fail(ctx.response(), OpenAiError.from(e, model));
            }
        });
    }


    private static OpenAiError failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof OpenAiError e) {
            return e;
        }
        if (t == null || t instanceof HttpException) {
            int status = t == null ? ctx.statusCode() : ((HttpException) t).getStatusCode();
            return status == 413
                    ? new OpenAiError(413, OpenAiError.INVALID_REQUEST, "The request body is too large (limit "
                            + MAX_BODY / (1024 * 1024) + " MiB).", null, "request_too_large", null)
                    : new OpenAiError(status >= 400 ? status : 500, status >= 500 || status < 400
                            ? OpenAiError.SERVER_ERROR : OpenAiError.INVALID_REQUEST,
                            "The request failed with status " + status + ".", null, null, null);
        }
        System.getLogger(OpenAiApi.class.getName()).log(System.Logger.Level.ERROR,
                "OpenAI-compatible request failed: " + ctx.request().path(), t);
        return new OpenAiError(500, OpenAiError.SERVER_ERROR, "internal error", null, null, null);
    }

    static void fail(HttpServerResponse response, OpenAiError e) {
        if (response.headWritten()) {
            if (!response.ended() && !response.closed()) {
                response.end(Buffer.buffer(OpenAiJson.event(e.json())));
            }
            return;
        }
        if (e.retryAfterSeconds() > 0) {
            response.putHeader("retry-after", String.valueOf(e.retryAfterSeconds()));
        }
        send(response, e.status(), e.json());
    }

    static void send(HttpServerResponse response, int status, ObjectNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", JSON_TYPE).end(Buffer.buffer(OpenAiJson.bytes(body)));
    }
}
