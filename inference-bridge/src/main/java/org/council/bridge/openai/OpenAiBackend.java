package org.council.bridge.openai;

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
 * A {@link Backend} for OpenAI-compatible servers: {@code GET /v1/models} and
 * {@code POST /v1/chat/completions} streamed as server-sent events with
 * {@code stream_options.include_usage} (or one JSON body when the request is not streamed).
 * A generate request is sent as one user message. Ollama-style options are translated:
 * {@code num_predict} to {@code max_tokens}; {@code temperature}, {@code top_p}, {@code seed},
 * {@code stop} as is.
 *
 * <p>Thread-safe. Futures complete on the Vert.x event-loop thread of the HTTP connection (a
 * cancellation fails the call on the cancelling thread).
 */
public final class OpenAiBackend implements Backend {

    private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final OpenAiConfig config;
    /** Streamed calls use the calling loop's client ({@link LoopClients}: why). */
    private final LoopClients http;
    private final WebClient web;

    public OpenAiBackend(Vertx vertx, OpenAiConfig config) {
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

    /** {@code GET /v1/models}; these servers do not report parameter sizes. */
    @Override
    public Future<List<ModelInfo>> models() {
        HttpRequest<Buffer> req = authorize(web.requestAbs(HttpMethod.GET, config.baseUrl() + "/v1/models"))
                .connectTimeout(config.connectTimeout().toMillis())
                .idleTimeout(config.stallTimeout().toMillis());
        return req.send()
                .compose(resp -> resp.statusCode() / 100 == 2
                        ? Future.succeededFuture(resp.bodyAsJsonObject())
                        : Future.<JsonObject>failedFuture(HttpErrors.fromStatus(config.name(), "",
                                resp.statusCode(), resp.bodyAsString())))
                .recover(t -> Future.failedFuture(HttpErrors.fromThrowable(config.name(), t)))
                .map(body -> {
                    List<ModelInfo> out = new ArrayList<>();
                    for (Object o : body.getJsonArray("data", new JsonArray())) {
                        if (o instanceof JsonObject m && m.getString("id") != null) {
                            out.add(new ModelInfo(m.getString("id"), config.name(), "", "", "", 0, false));
                        }
                    }
                    return List.copyOf(out);
                });
    }

    @Override
    public BackendCall start(InferenceRequest request, TokenSink sink) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.baseUrl() + (request.kind() == InferenceRequest.Kind.EMBED
                        ? "/v1/embeddings" : "/v1/chat/completions"))
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.stallTimeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, request.stream() ? "text/event-stream" : "application/json");
        if (!config.apiKey().isEmpty()) {
            options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey());
        }
        StreamingHttpCall<InferenceResult> call = StreamingHttpCall.start(vertx, http.current(), config.name(),
                request.model(), options, requestBody(request).toBuffer(), config.totalTimeout().toMillis(),
                MAX_LINE_BYTES, request.kind() == InferenceRequest.Kind.EMBED
                        ? new OpenAiEmbedDecoder(config.name(), request) : new OpenAiDecoder(config.name(), request, sink));
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
        return request.kind() == InferenceRequest.Kind.EMBED ? OpenAiWire.embedBody(request)
                : OpenAiWire.chatBody(request);
    }

    private HttpRequest<Buffer> authorize(HttpRequest<Buffer> req) {
        return config.apiKey().isEmpty() ? req : req.bearerTokenAuthentication(config.apiKey());
    }

    @Override
    public Future<Void> close() {
        return http.close();
    }
}
