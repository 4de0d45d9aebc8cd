package org.council.bridge.openai;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake OpenAI-compatible server (as llama.cpp server or vLLM answer): {@code GET /v1/models},
 * {@code POST /v1/chat/completions} as server-sent events with a usage chunk when
 * {@code stream_options.include_usage} is set, then {@code data: [DONE]}; or one JSON body. Offered
 * {@code tools}, it calls the first one (tool_calls with an id and JSON-string arguments, streamed as
 * index-keyed deltas whose arguments come in fragments, finish_reason {@code tool_calls});
 * {@code reasoning_effort} streams {@code delta.reasoning_content} first; {@code POST /v1/embeddings}
 * answers {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],"usage"}}.
 * Listens on 127.0.0.1, port 0. Thread-safe.
 */
public final class FakeOpenAiServer {

    public static final String MODEL = "qwen2.5-7b-instruct";
    public static final List<String> TOKENS = List.of("Bon", "jour", "!");
    /** Streamed in {@code delta.reasoning_content} (llama.cpp's and vLLM's shape) when reasoning_effort is set. */
    public static final List<String> REASONING = List.of("Hmm", ", easy.");
    /** A tool call's arguments, streamed in these fragments as OpenAI does. */
    public static final List<String> ARGUMENT_FRAGMENTS = List.of("{\"city\":", "\"Paris\"}");

    private final Vertx vertx;
    private HttpServer server;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    public FakeOpenAiServer(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<FakeOpenAiServer> start() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(s -> this);
    }

    public Future<Void> close() {
        return server.close();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public List<JsonObject> received() {
        return List.copyOf(received);
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpServerRequest req) {
        authorizations.add(String.valueOf(req.getHeader("Authorization")));
        if (req.path().equals("/v1/models")) {
            json(req.response(), 200, new JsonObject().put("object", "list").put("data", new JsonArray()
                    .add(new JsonObject().put("id", MODEL).put("object", "model").put("owned_by", "llamacpp"))));
            return;
        }
        if (req.path().equals("/v1/embeddings")) {
            req.body().onSuccess(buf -> {
                JsonObject body = buf.toJsonObject();
                received.add(body);
                JsonArray input = body.getJsonArray("input");
                JsonArray data = new JsonArray();
                for (int i = input.size() - 1; i >= 0; i--) { // out of order: clients must use "index"
                    data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding",
                            new JsonArray().add(0.5).add(-0.5).add(i)));
                }
                json(req.response(), 200, new JsonObject().put("object", "list").put("data", data).put("model", MODEL)
                        .put("usage", new JsonObject().put("prompt_tokens", 4).put("total_tokens", 4)));
            });
            return;
        }
        if (!req.path().equals("/v1/chat/completions")) {
            json(req.response(), 404, new JsonObject().put("error", new JsonObject().put("message", "not found")));
            return;
        }
        req.body().onSuccess(buf -> {
            JsonObject body = buf.toJsonObject();
            received.add(body);
            if (!MODEL.equals(body.getString("model"))) {
                json(req.response(), 404, new JsonObject().put("error", new JsonObject()
                        .put("message", "model '" + body.getString("model") + "' not found").put("code", 404)));
            } else if (callsTool(body)) {
                toolCall(req.response(), body);
            } else if (body.getBoolean("stream", false)) {
                stream(req.response(), body);
            } else {
                json(req.response(), 200, completion().put("choices", new JsonArray().add(new JsonObject()
                        .put("index", 0).put("finish_reason", "stop").put("message", new JsonObject()
                                .put("role", "assistant").put("content", String.join("", TOKENS)))))
                        .put("usage", usage()));
            }
        });
    }

    private static boolean callsTool(JsonObject body) {
        JsonArray messages = body.getJsonArray("messages", new JsonArray());
        return !body.getJsonArray("tools", new JsonArray()).isEmpty() && !messages.isEmpty()
                && !"tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
    }

    /** The first tool offered, called with {@link #ARGUMENT_FRAGMENTS}, streamed as deltas or whole. */
    private void toolCall(HttpServerResponse resp, JsonObject body) {
        String name = body.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name");
        if (!body.getBoolean("stream", false)) {
            json(resp, 200, completion().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                    .put("finish_reason", "tool_calls").put("message", new JsonObject().put("role", "assistant")
                            .putNull("content").put("tool_calls", new JsonArray().add(new JsonObject()
                                    .put("id", "call_abc").put("type", "function").put("function", new JsonObject()
                                            .put("name", name).put("arguments", String.join("", ARGUMENT_FRAGMENTS))))))))
                    .put("usage", usage()));
            return;
        }
        StringBuilder sse = new StringBuilder();
        sse.append(chunk(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
                .add(new JsonObject().put("index", 0).put("id", "call_abc").put("type", "function")
                        .put("function", new JsonObject().put("name", name).put("arguments", "")))), null));
        for (String f : ARGUMENT_FRAGMENTS) {
            sse.append(chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0)
                    .put("function", new JsonObject().put("arguments", f)))), null));
        }
        sse.append(chunk(new JsonObject(), "tool_calls")).append("data: [DONE]\n\n");
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream").end(sse.toString());
    }

    private static String chunk(JsonObject delta, String finish) {
        return event(completion().put("object", "chat.completion.chunk").put("choices", new JsonArray()
                .add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish))));
    }

    private void stream(HttpServerResponse resp, JsonObject body) {
        resp.setChunked(true).putHeader("Content-Type", "text/event-stream");
        StringBuilder sse = new StringBuilder();
        if (body.getString("reasoning_effort") != null) {
            REASONING.forEach(r -> sse.append(chunk(new JsonObject().put("reasoning_content", r), null)));
        }
        for (int i = 0; i < TOKENS.size(); i++) {
            JsonObject delta = new JsonObject().put("content", TOKENS.get(i));
            if (i == 0) {
                delta.put("role", "assistant");
            }
            sse.append(event(completion().put("object", "chat.completion.chunk").put("choices", new JsonArray()
                    .add(new JsonObject().put("index", 0).put("delta", delta).putNull("finish_reason")))));
        }
        sse.append(event(completion().put("object", "chat.completion.chunk").put("choices", new JsonArray()
                .add(new JsonObject().put("index", 0).put("delta", new JsonObject()).put("finish_reason", "length")))));
        JsonObject options = body.getJsonObject("stream_options", new JsonObject());
        if (options.getBoolean("include_usage", false)) {
            sse.append(event(completion().put("object", "chat.completion.chunk").put("choices", new JsonArray())
                    .put("usage", usage())));
        }
        sse.append("data: [DONE]\n\n");
        // split mid-line to prove the client reassembles lines across chunks
        String all = sse.toString();
        int cut = all.length() / 2;
        resp.write(all.substring(0, cut));
        vertx.setTimer(5, t -> resp.end(all.substring(cut)));
    }

    private static String event(JsonObject o) {
        return "data: " + o.encode() + "\n\n";
    }

    private static JsonObject completion() {
        return new JsonObject().put("id", "chatcmpl-123").put("object", "chat.completion")
                .put("created", 1_764_000_000L).put("model", MODEL);
    }

    private static JsonObject usage() {
        return new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 3).put("total_tokens", 15);
    }

    private static void json(HttpServerResponse resp, int status, JsonObject body) {
        resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
