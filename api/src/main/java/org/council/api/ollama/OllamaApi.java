package org.council.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.council.api.ChatGateway;
import org.council.api.Contexts;
import org.council.api.http.BrowserGuard;
import org.council.api.openai.OpenAiApi;
import org.council.bridge.ModelInfo;

/**
 * The Ollama-compatible endpoint: Ollama's HTTP API, in its exact wire format, over the
 * {@link ChatGateway}, so Ollama clients (Open WebUI, ollama-js, ollama-python, LangChain) can use
 * a Council node unchanged. Serves {@code GET|HEAD /} ("Ollama is running"), {@code GET /api/version},
 * {@code GET /api/tags}, {@code GET /api/ps} (always empty: the node keeps no models loaded itself),
 * {@code POST /api/show} (capabilities as the serving backend reports them), {@code POST /api/chat}
 * and {@code /api/generate}, streamed as NDJSON unless {@code "stream": false}, with tools, format,
 * think and images, and {@code POST /api/embed} and the legacy {@code /api/embeddings};
 * {@code HEAD} on {@code /}, {@code /api/tags} and {@code /api/version}. Errors are {@code {"error":"..."}} with Ollama's statuses.
 * Everything is answered for the node's own user, so a {@link BrowserGuard} runs first on every
 * route: foreign browser origins and DNS-rebinding {@code Host} headers get 403, and a configured
 * bearer token is required (401 without it); see {@link OllamaAccess}.
 *
 * <p><b>Thread-safety.</b> Thread-safe; one instance may serve several routers. Never blocks an
 * event loop.
 */
public final class OllamaApi {

    /**
     * The largest request body: long chat histories and a few base64 images (a 20 MiB body holds
     * about 15 MiB of images). Larger is 413 before anything is parsed.
     */
    static final long MAX_BODY = 20L * 1024 * 1024;
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final String RUNNING = "Ollama is running";

    private final ChatGateway gateway;
    private final String version;
    private final OllamaAccess access;
    private final String startedAt = Instant.now().toString();

    /** Bound to loopback with no token and no extra origins ({@link OllamaAccess#loopback()}). */
    public OllamaApi(ChatGateway gateway, String version) {
        this(gateway, version, OllamaAccess.loopback());
    }

    /**
     * @param gateway routes requests to models
     * @param version reported by {@code /api/version}
     * @param access  who may call the endpoint
     */
    public OllamaApi(ChatGateway gateway, String version, OllamaAccess access) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.version = Objects.requireNonNull(version, "version");
        this.access = Objects.requireNonNull(access, "access");
    }

    /** The endpoint's routes, for an {@link org.council.api.http.ApiServer} on its own port. */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        // first, before any body is read or any route (even an unknown one) answers
        r.route().handler(BrowserGuard.create(access.bindHost(), access.origins(), access.token(),
                GuardDialects.byRoute()));
        r.head("/").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
                .putHeader("content-length", String.valueOf(RUNNING.length())).end());
        r.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end(RUNNING));
        r.head("/api/version").handler(ctx -> ctx.response().putHeader("content-type", JSON_TYPE).end());
        r.head("/api/tags").handler(ctx -> ctx.response().putHeader("content-type", JSON_TYPE).end());
        r.get("/api/version").handler(ctx -> send(ctx.response(), 200,
                JsonNodeFactory.instance.objectNode().put("version", version)));
        r.get("/api/ps").handler(ctx -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.putArray("models");
            send(ctx.response(), 200, o);
        });
        r.get("/api/tags").handler(this::tags);
        r.post("/api/show").handler(body).handler(this::show);
        r.post("/api/chat").handler(body).handler(ctx -> generation(ctx, OllamaRequests::chat));
        r.post("/api/generate").handler(body).handler(ctx -> generation(ctx, OllamaRequests::generate));
        r.post("/api/embed").handler(body).handler(ctx -> embed(ctx, false));
        r.post("/api/embeddings").handler(body).handler(ctx -> embed(ctx, true));
        new OpenAiApi(gateway).mount(r); // OpenAI's API under /v1, as real Ollama serves it on its port
        r.route().failureHandler(ctx -> fail(ctx.response(), failure(ctx)));
        r.errorHandler(404, ctx -> fail(ctx.response(), new OllamaError(404, "404 page not found")));
        r.errorHandler(405, ctx -> fail(ctx.response(), new OllamaError(405, "405 method not allowed")));
        r.errorHandler(413, ctx -> fail(ctx.response(), new OllamaError(413, "request body too large")));
        return r;
    }

    private void tags(RoutingContext ctx) {
        Context context = ctx.vertx().getOrCreateContext();
        gateway.models().onComplete(ar -> context.runOnContext(v -> {
            if (ar.failed()) {
                fail(ctx.response(), OllamaError.from(ar.cause(), ""));
                return;
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode list = o.putArray("models");
            ar.result().forEach(m -> list.add(OllamaJson.tag(m, startedAt)));
            send(ctx.response(), 200, o);
        }));
    }

    private void show(RoutingContext ctx) {
        String model = OllamaRequests.model(OllamaRequests.object(ctx.body()));
        withModel(ctx, model, m -> send(ctx.response(), 200, OllamaJson.show(m, startedAt)));
    }

    private void embed(RoutingContext ctx, boolean legacy) {
        JsonNode body = OllamaRequests.object(ctx.body());
        String model = OllamaRequests.model(body);
        withModel(ctx, model, m -> OllamaEmbed.run(ctx, gateway, OllamaEmbed.request(body, legacy, m.name()), model,
                legacy));
    }

    private void generation(RoutingContext ctx, Function<JsonNode, OllamaCall> parse) {
        OllamaCall call = parse.apply(OllamaRequests.object(ctx.body()));
        withModel(ctx, call.model(), m -> {
            if (call.loadOnly()) {
                send(ctx.response(), 200, OllamaJson.loaded(call.shape(), call.model()));
            } else {
                new OllamaExchange(ctx.vertx().getOrCreateContext(), ctx.response(), call, m.name()).run(gateway);
            }
        });
    }

    /** Resolves the model among the gateway's and runs {@code then} on the request's context, or answers 404. */
    private void withModel(RoutingContext ctx, String model, Consumer<ModelInfo> then) {
        Context context = ctx.vertx().getOrCreateContext();
        Future<Optional<ModelInfo>> models = gateway.model(model);
        // the node's answer is usually ready at once: then no hop, which would queue the request's start
        // behind every other task of a busy event loop (time to first token)
        Contexts.onContext(context, models, ar -> {
            if (ar.failed()) {
                fail(ctx.response(), OllamaError.from(ar.cause(), model));
                return;
            }
            Optional<ModelInfo> found = ar.result();
            if (found.isEmpty()) {
                fail(ctx.response(), OllamaError.modelNotFound(model));
                return;
            }
            try {
                then.accept(found.get());
            } catch (RuntimeException e) {
                fail(ctx.response(), OllamaError.from(e, model));
            }
        });
    }



    private static OllamaError failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof OllamaError e) {
            return e;
        }
        if (t == null || t instanceof HttpException) {
            int status = t == null ? ctx.statusCode() : ((HttpException) t).getStatusCode();
            return new OllamaError(status >= 400 ? status : 500, status == 413 ? "request body too large"
                    : "request failed with status " + status);
        }
        System.getLogger(OllamaApi.class.getName()).log(System.Logger.Level.ERROR,
                "Ollama-compatible request failed: " + ctx.request().path(), t);
        return new OllamaError(500, "internal error");
    }

    static void fail(HttpServerResponse response, OllamaError e) {
        if (response.headWritten()) {
            if (!response.ended() && !response.closed()) {
                response.end(Buffer.buffer(OllamaJson.line(OllamaJson.error(e.getMessage()))));
            }
            return;
        }
        if (e.retryAfterSeconds() > 0) {
            response.putHeader("retry-after", String.valueOf(e.retryAfterSeconds()));
        }
        send(response, e.status(), OllamaJson.error(e.getMessage()));
    }

    static void send(HttpServerResponse response, int status, ObjectNode body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", JSON_TYPE).end(Buffer.buffer(OllamaJson.bytes(body)));
    }
}
