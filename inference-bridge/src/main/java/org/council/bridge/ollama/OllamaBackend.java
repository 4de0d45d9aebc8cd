package org.council.bridge.ollama;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.Backend;
import org.council.bridge.BackendCall;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.TokenSink;
import org.council.bridge.http.HttpErrors;
import org.council.bridge.http.LoopClients;
import org.council.bridge.http.StreamingHttpCall;

/**
 * A {@link Backend} speaking Ollama's HTTP API: {@code /api/tags}, {@code /api/show},
 * {@code /api/ps}, {@code /api/version} through Vert.x's web client, and {@code /api/chat},
 * {@code /api/generate} (streamed NDJSON or {@code "stream": false}) read as they stream in.
 *
 * <p>Thread-safe. Futures complete on the Vert.x event-loop thread of the HTTP connection (a
 * cancellation fails the call on the cancelling thread). Failures are
 * {@link org.council.bridge.BridgeException}s: 503 is {@code BACKEND_BUSY}, a refused connection
 * {@code BACKEND_UNREACHABLE}, an unknown model {@code NO_SUCH_MODEL}, a stall or overrun
 * {@code TIMEOUT}, an error line mid-stream {@code BACKEND_ERROR}.
 */
public final class OllamaBackend implements Backend {

    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final OllamaConfig config;
    /** Streamed calls use the calling loop's client ({@link LoopClients}: why). */
    private final LoopClients http;
    private final WebClient web;

    public OllamaBackend(Vertx vertx, OllamaConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.http = new LoopClients(() -> vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(config.maxConcurrency() + 4)));
        this.web = WebClient.wrap(http.shared());
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public int maxConcurrency() {
        return config.maxConcurrency();
    }

    public OllamaConfig config() {
        return config;
    }

    /**
     * {@code GET /api/tags}: the models installed, each with the capabilities its {@code /api/show}
     * reports (a model whose show fails is taken as text-only).
     */
    @Override
    public Future<List<ModelInfo>> models() {
        return tags().compose(list -> {
            List<Future<ModelInfo>> withCaps = list.stream().map(m -> show(m.name())
                    .map(s -> s.capabilities().isEmpty() ? m : m.withCapabilities(s.capabilities()))
                    .otherwise(m)).toList();
            return Future.join(withCaps).map(all -> withCaps.stream().map(Future::result).toList());
        });
    }

    private Future<List<ModelInfo>> tags() {
        return call(HttpMethod.GET, "/api/tags", null, "").map(body -> {
            List<ModelInfo> out = new ArrayList<>();
            for (Object o : body.getJsonArray("models", new JsonArray())) {
                if (o instanceof JsonObject m) {
                    JsonObject d = m.getJsonObject("details", new JsonObject());
                    out.add(new ModelInfo(m.getString("name", m.getString("model", "")), config.name(),
                            d.getString("family"), d.getString("parameter_size"),
                            d.getString("quantization_level"), m.getLong("size", 0L), false));
                }
            }
            return List.copyOf(out);
        });
    }

    /** {@code POST /api/show}: details and capabilities of one model. */
    public Future<OllamaShow> show(String model) {
        return call(HttpMethod.POST, "/api/show", new JsonObject().put("model", model), model).map(b -> {
            JsonObject d = b.getJsonObject("details", new JsonObject());
            JsonObject info = b.getJsonObject("model_info", new JsonObject());
            long context = 0;
            for (Map.Entry<String, Object> e : info) {
                if (e.getKey().endsWith(".context_length") && e.getValue() instanceof Number n) {
                    context = n.longValue();
                }
            }
            List<String> caps = new ArrayList<>();
            b.getJsonArray("capabilities", new JsonArray()).forEach(c -> caps.add(String.valueOf(c)));
            return new OllamaShow(model, d.getString("family", ""), d.getString("parameter_size", ""),
                    d.getString("quantization_level", ""), caps, context,
                    b.getString("template", ""), b.getString("parameters", ""));
        });
    }

    /** {@code GET /api/ps}: the models loaded in memory now. */
    public Future<List<OllamaLoadedModel>> loaded() {
        return call(HttpMethod.GET, "/api/ps", null, "").map(body -> {
            List<OllamaLoadedModel> out = new ArrayList<>();
            for (Object o : body.getJsonArray("models", new JsonArray())) {
                if (o instanceof JsonObject m) {
                    out.add(new OllamaLoadedModel(m.getString("name", ""), m.getLong("size", 0L),
                            m.getLong("size_vram", 0L), m.getString("expires_at", "")));
                }
            }
            return List.copyOf(out);
        });
    }

    /** {@code GET /api/version}: the server's version string. */
    public Future<String> version() {
        return call(HttpMethod.GET, "/api/version", null, "").map(b -> b.getString("version", ""));
    }

    /**
     * {@code POST /api/chat} or {@code /api/generate}, streamed or not per the request, or
     * {@code /api/embed} for an embedding request.
     */
    @Override
    public BackendCall start(InferenceRequest request, TokenSink sink) {
        String path = switch (request.kind()) {
            case CHAT -> "/api/chat";
            case GENERATE -> "/api/generate";
            case EMBED -> "/api/embed";
        };
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.baseUrl() + path)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.stallTimeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        StreamingHttpCall<InferenceResult> call = StreamingHttpCall.start(vertx, http.current(), config.name(),
                request.model(), options, requestBody(request).toBuffer(), config.totalTimeout().toMillis(),
                MAX_LINE_BYTES, request.kind() == InferenceRequest.Kind.EMBED
                        ? new OllamaEmbedDecoder(config.name(), request) : new OllamaDecoder(config.name(), request, sink));
        return new BackendCall() {
            @Override
            public Future<InferenceResult> result() {
                return call.result();
            }

            @Override
            public void cancel() {
                call.cancel();
            }

            @Override
            public void pause() {
                call.pause();
            }

            @Override
            public void resume() {
                call.resume();
            }
        };
    }

    static JsonObject requestBody(InferenceRequest request) {
        return OllamaWire.requestBody(request);
    }

    private Future<JsonObject> call(HttpMethod method, String path, JsonObject body, String model) {
        HttpRequest<Buffer> req = web.requestAbs(method, config.baseUrl() + path)
                .connectTimeout(config.connectTimeout().toMillis())
                .idleTimeout(config.stallTimeout().toMillis());
        return (body == null ? req.send() : req.sendJsonObject(body))
                .compose(resp -> resp.statusCode() / 100 == 2
                        ? Future.succeededFuture(resp.bodyAsJsonObject())
                        : Future.<JsonObject>failedFuture(HttpErrors.fromStatus(config.name(), model,
                                resp.statusCode(), resp.bodyAsString())))
                .recover(t -> Future.failedFuture(HttpErrors.fromThrowable(config.name(), t)));
    }

    @Override
    public Future<Void> close() {
        return http.close();
    }
}
