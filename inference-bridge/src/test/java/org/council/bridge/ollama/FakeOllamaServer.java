package org.council.bridge.ollama;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Ollama server for tests, speaking the real wire format: NDJSON chunks and the final
 * object with durations for {@code /api/chat} and {@code /api/generate} (or one object with
 * {@code "stream": false}), {@code /api/tags}, {@code /api/show}, {@code /api/ps},
 * {@code /api/version}, errors as {@code {"error": ...}} with Ollama's statuses, 503 when busy,
 * an error line mid-stream, slow and stalled streams. Also the rest of the inference surface in
 * the documented shapes: offered {@code tools} (and a last turn that is not a tool result) answer
 * with {@code message.tool_calls} {@code [{"function":{"name","arguments":{...}}}]} naming the first
 * tool; {@code think} streams {@link #THINKING} in {@code message.thinking} (chat) or
 * {@code thinking} (generate) before the answer; {@code /api/embed} answers
 * {@code {"model","embeddings":[[...]],"total_duration","load_duration","prompt_eval_count"}}.
 * Listens on 127.0.0.1, port 0.
 *
 * <p>Thread-safe: configure it from the test thread; it counts connections opened and closed,
 * calls in flight (and the most at once) so tests can prove an upstream connection was closed.
 */
public final class FakeOllamaServer {

    /** How chat and generate calls behave. */
    public enum Mode { NORMAL, BUSY, ERROR_MID_STREAM, STALL }

    public static final List<String> MODELS = List.of("llama3.2:3b", "qwen2.5:7b");
    public static final List<String> TOKENS = List.of("Hel", "lo", ", ", "world", "!");
    public static final List<String> THINKING = List.of("Let me ", "think.");
    /** The tool call's arguments: the fake always calls the first tool offered with these. */
    public static final JsonObject TOOL_ARGUMENTS = new JsonObject().put("city", "Paris");

    private final Vertx vertx;
    private HttpServer server;
    private volatile Mode mode = Mode.NORMAL;
    private volatile long chunkDelayMs;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();

    public FakeOllamaServer(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<FakeOllamaServer> start() {
        server = vertx.createHttpServer();
        server.connectionHandler(conn -> {
            opened.incrementAndGet();
            conn.closeHandler(v -> closed.incrementAndGet());
        });
        server.requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(s -> this);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public FakeOllamaServer mode(Mode newMode) {
        this.mode = newMode;
        return this;
    }

    /** Delay between streamed chunks (a slow model). */
    public FakeOllamaServer chunkDelayMs(long ms) {
        this.chunkDelayMs = ms;
        return this;
    }

    public int connectionsOpened() {
        return opened.get();
    }

    public int connectionsClosed() {
        return closed.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Bodies of chat and generate requests received, with {@code "_path"} added. */
    public List<JsonObject> received() {
        return List.copyOf(received);
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (req.method() == HttpMethod.GET) {
            switch (path) {
                case "/api/version" -> json(req.response(), 200, new JsonObject().put("version", "0.12.6"));
                case "/api/tags" -> json(req.response(), 200, new JsonObject().put("models", tags()));
                case "/api/ps" -> json(req.response(), 200, new JsonObject().put("models", new JsonArray()
                        .add(model(MODELS.get(0)).put("expires_at", "2026-01-01T00:05:00Z")
                                .put("size_vram", 2_000_000_000L))));
                default -> notFound(req.response());
            }
            return;
        }
        req.body().onSuccess(buf -> {
            JsonObject body = buf.length() == 0 ? new JsonObject() : buf.toJsonObject();
            String model = body.getString("model", "");
            switch (path) {
                case "/api/show" -> show(req.response(), model);
                case "/api/embed" -> {
                    received.add(body.copy().put("_path", path));
                    embed(req.response(), model, body.getJsonArray("input", new JsonArray()));
                }
                case "/api/chat", "/api/generate" -> {
                    received.add(body.copy().put("_path", path));
                    generate(req.response(), model, path.equals("/api/chat"), body);
                }
                default -> notFound(req.response());
            }
        });
    }

    private static JsonArray tags() {
        JsonArray models = new JsonArray();
        MODELS.forEach(m -> models.add(model(m).put("modified_at", "2025-11-01T10:00:00.000000Z")));
        return models;
    }

    private static JsonObject model(String name) {
        boolean small = name.endsWith(":3b");
        return new JsonObject().put("name", name).put("model", name)
                .put("size", small ? 2_019_393_189L : 4_683_087_332L)
                .put("digest", Integer.toHexString(name.hashCode()) + "a80c4f17acd5")
                .put("details", details(small));
    }

    private static JsonObject details(boolean small) {
        return new JsonObject().put("parent_model", "").put("format", "gguf")
                .put("family", small ? "llama" : "qwen2").put("families", new JsonArray().add(small ? "llama" : "qwen2"))
                .put("parameter_size", small ? "3.2B" : "7.6B").put("quantization_level", "Q4_K_M");
    }

    private void show(HttpServerResponse resp, String model) {
        if (!MODELS.contains(model)) {
            json(resp, 404, new JsonObject().put("error", "model '" + model + "' not found"));
            return;
        }
        json(resp, 200, new JsonObject().put("modelfile", "FROM " + model).put("parameters", "stop \"<|eot_id|>\"")
                .put("template", "{{ .Prompt }}").put("details", details(model.endsWith(":3b")))
                .put("model_info", new JsonObject().put("general.architecture", "llama")
                        .put("llama.context_length", 131072))
                .put("capabilities", model.endsWith(":3b") ? new JsonArray().add("completion").add("tools")
                        : new JsonArray().add("completion").add("tools").add("thinking").add("vision")));
    }

    private void embed(HttpServerResponse resp, String model, JsonArray input) {
        if (!MODELS.contains(model)) {
            json(resp, 404, new JsonObject().put("error", "model '" + model + "' not found"));
            return;
        }
        JsonArray vectors = new JsonArray();
        for (int i = 0; i < input.size(); i++) {
            vectors.add(new JsonArray().add(0.1 * (i + 1)).add(-0.2).add(0.3).add(input.getString(i).length()));
        }
        json(resp, 200, new JsonObject().put("model", model).put("embeddings", vectors)
                .put("total_duration", 14_143_917L).put("load_duration", 1_019_500L).put("prompt_eval_count", 8));
    }

    /** What one chat or generate answer streams, in order: thinking pieces, a tool call or text pieces. */
    private static List<JsonObject> script(String model, boolean chat, JsonObject body) {
        List<JsonObject> out = new java.util.ArrayList<>();
        Object think = body.getValue("think");
        if (think != null && !Boolean.FALSE.equals(think)) {
            for (String t : THINKING) {
                JsonObject c = chunk(model, chat, "");
                (chat ? c.getJsonObject("message") : c).put("thinking", t);
                out.add(c);
            }
        }
        JsonArray tools = body.getJsonArray("tools", new JsonArray());
        JsonArray messages = body.getJsonArray("messages", new JsonArray());
        boolean afterTool = !messages.isEmpty()
                && "tool".equals(messages.getJsonObject(messages.size() - 1).getString("role"));
        if (chat && !tools.isEmpty() && !afterTool) {
            JsonObject c = chunk(model, true, "");
            c.getJsonObject("message").put("tool_calls", new JsonArray().add(new JsonObject().put("function",
                    new JsonObject().put("name", tools.getJsonObject(0).getJsonObject("function").getString("name"))
                            .put("arguments", TOOL_ARGUMENTS.copy()))));
            out.add(c);
            return out;
        }
        TOKENS.forEach(t -> out.add(chunk(model, chat, t)));
        return out;
    }

    /** The pieces of a script merged into one unstreamed answer. */
    private static JsonObject merged(String model, boolean chat, List<JsonObject> script) {
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        JsonArray calls = null;
        for (JsonObject c : script) {
            JsonObject holder = chat ? c.getJsonObject("message") : c;
            text.append(holder.getString(chat ? "content" : "response", ""));
            thinking.append(holder.getString("thinking", ""));
            if (holder.getJsonArray("tool_calls") != null) {
                calls = holder.getJsonArray("tool_calls");
            }
        }
        JsonObject o = last(model, chat, text.toString());
        JsonObject holder = chat ? o.getJsonObject("message") : o;
        if (!thinking.isEmpty()) {
            holder.put("thinking", thinking.toString());
        }
        if (calls != null) {
            holder.put("tool_calls", calls);
        }
        return o;
    }

    private void generate(HttpServerResponse resp, String model, boolean chat, JsonObject body) {
        boolean stream = body.getBoolean("stream", true);
        if (mode == Mode.BUSY) {
            json(resp, 503, new JsonObject().put("error",
                    "server busy, please try again.  maximum pending requests exceeded"));
            return;
        }
        if (!MODELS.contains(model)) {
            json(resp, 404, new JsonObject().put("error", "model '" + model + "' not found"));
            return;
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicInteger done = new AtomicInteger();
        Runnable finished = () -> {
            if (done.getAndIncrement() == 0) {
                inFlight.decrementAndGet();
            }
        };
        resp.closeHandler(v -> finished.run());
        List<JsonObject> script = script(model, chat, body);
        if (!stream) {
            vertx.setTimer(1 + chunkDelayMs * TOKENS.size(), t -> {
                json(resp, 200, merged(model, chat, script));
                finished.run();
            });
            return;
        }
        resp.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
        writeChunk(resp, model, chat, script, 0, finished);
    }

    private void writeChunk(HttpServerResponse resp, String model, boolean chat, List<JsonObject> script, int i,
            Runnable finished) {
        vertx.setTimer(1 + chunkDelayMs, t -> {
            if (resp.closed() || resp.ended()) {
                return;
            }
            if (i == 1 && mode == Mode.ERROR_MID_STREAM) {
                resp.end(new JsonObject().put("error", "an error was encountered while running the model: "
                        + "unexpected EOF").encode() + "\n");
                finished.run();
                return;
            }
            if (i == 1 && mode == Mode.STALL) {
                return; // headers and one chunk sent, then silence with the connection open
            }
            if (i == script.size()) {
                resp.end(last(model, chat, "").encode() + "\n");
                finished.run();
                return;
            }
            resp.write(script.get(i).encode() + "\n");
            writeChunk(resp, model, chat, script, i + 1, finished);
        });
    }

    private static JsonObject chunk(String model, boolean chat, String text) {
        JsonObject o = new JsonObject().put("model", model).put("created_at", Instant.now().toString());
        if (chat) {
            o.put("message", new JsonObject().put("role", "assistant").put("content", text));
        } else {
            o.put("response", text);
        }
        return o.put("done", false);
    }

    private static JsonObject last(String model, boolean chat, String text) {
        JsonObject o = chunk(model, chat, text).put("done", true).put("done_reason", "stop")
                .put("total_duration", 4_935_886_791L).put("load_duration", 534_986_708L)
                .put("prompt_eval_count", 26).put("prompt_eval_duration", 107_345_000L)
                .put("eval_count", TOKENS.size()).put("eval_duration", 4_289_432_000L);
        if (!chat) {
            o.put("context", new JsonArray().add(1).add(2).add(3));
        }
        return o;
    }

    private static void notFound(HttpServerResponse resp) {
        resp.setStatusCode(404).end("404 page not found");
    }

    private static void json(HttpServerResponse resp, int status, JsonObject body) {
        resp.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    }
}
