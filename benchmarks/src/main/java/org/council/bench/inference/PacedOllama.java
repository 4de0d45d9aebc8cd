package org.council.bench.inference;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake Ollama that streams {@code /api/chat} answers in Ollama's exact NDJSON wire format at a
 * set rate per stream (or as fast as the socket takes them), and answers the calls a node makes
 * at start ({@code /api/version}, {@code /api/tags}, {@code /api/show}, {@code /api/ps}). It
 * serves one model, {@link #MODEL}.
 *
 * <p>An answer has {@code tokensPerAnswer} tokens, or fewer when the request's
 * {@code options.num_predict} asks for fewer; it then ends with {@code done_reason} {@code length},
 * as Ollama's does.
 *
 * <p>Pacing is by schedule, not by gaps: token {@code i} of a stream is due {@code i / rate}
 * after the request arrived, and every timer tick writes all tokens due by then, so a late tick
 * does not lower the rate. The streams of one event loop share one 1 ms tick, as the sequences an
 * Ollama runner decodes in one batch get their next tokens in the same step (its parallel
 * requests); {@code lockstep} false gives each stream a timer of its own, started when its
 * request arrived, so that their tokens come spread over the millisecond. The first token goes
 * out when the request arrives, in both. Each token's write time is recorded under the request's last message
 * text, so that the client can subtract the backend's own pacing jitter from the gaps it sees.
 *
 * <p>Thread-safe; each stream is confined to its connection's event loop.
 */
final class PacedOllama {

    static final String MODEL = "bench:latest";

    private static final byte[] CHUNK_TAIL = "\"},\"done\":false}\n".getBytes(StandardCharsets.UTF_8);

    private final Vertx vertx;
    private final boolean lockstep;
    private final int tokensPerAnswer;
    private final Map<String, long[]> emitted = new ConcurrentHashMap<>();
    private volatile double tokensPerSecond;
    private HttpServer server;

    /**
     * @param tokensPerAnswer tokens in each answer
     * @param tokensPerSecond per stream; 0 or less is unthrottled
     */
    PacedOllama(Vertx vertx, int tokensPerAnswer, double tokensPerSecond) {
        this(vertx, tokensPerAnswer, tokensPerSecond, true);
    }

    /** As above; {@code lockstep}: the streams of an event loop share one tick (else a timer each). */
    PacedOllama(Vertx vertx, int tokensPerAnswer, double tokensPerSecond, boolean lockstep) {
        this.vertx = vertx;
        this.lockstep = lockstep;
        this.tokensPerAnswer = tokensPerAnswer;
        this.tokensPerSecond = tokensPerSecond;
    }

    Future<PacedOllama> start() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(s -> this);
    }

    Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    void rate(double perStream) {
        this.tokensPerSecond = perStream;
    }

    /** Write times (System.nanoTime) of the tokens of the answer to {@code prompt}, forgotten once taken. */
    long[] takeEmitted(String prompt) {
        return emitted.remove(prompt);
    }

    /** The text of token {@code i}: a few characters, checkable by the client. */
    static String token(int i) {
        return " " + (i % 1000);
    }

    private void handle(HttpServerRequest req) {
        HttpServerResponse resp = req.response();
        if (req.method() == HttpMethod.GET) {
            switch (req.path()) {
                case "/api/version" -> json(resp, new JsonObject().put("version", "0.12.6"));
                case "/api/tags" -> json(resp, new JsonObject().put("models", new JsonArray().add(tag())));
                case "/api/ps" -> json(resp, new JsonObject().put("models", new JsonArray()));
                default -> resp.setStatusCode(404).end("404 page not found");
            }
            return;
        }
        req.body().onSuccess(buf -> {
            JsonObject body = buf.length() == 0 ? new JsonObject() : buf.toJsonObject();
            switch (req.path()) {
                case "/api/show" -> json(resp, show());
                case "/api/chat" -> chat(resp, body);
                default -> resp.setStatusCode(404).end("404 page not found");
            }
        });
    }

    private void chat(HttpServerResponse resp, JsonObject body) {
        if (!MODEL.equals(body.getString("model")) && !"bench".equals(body.getString("model"))) {
            resp.setStatusCode(404).end(new JsonObject().put("error", "model '" + body.getString("model")
                    + "' not found").encode());
            return;
        }
        JsonArray messages = body.getJsonArray("messages", new JsonArray());
        String prompt = messages.isEmpty() ? "" : messages.getJsonObject(messages.size() - 1).getString("content", "");
        long asked = body.getJsonObject("options", new JsonObject()).getLong("num_predict", 0L);
        boolean cut = asked > 0 && asked < tokensPerAnswer;
        long[] times = new long[cut ? (int) asked : tokensPerAnswer];
        emitted.put(prompt, times);
        resp.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
        Stream s = new Stream(resp, times, System.nanoTime(), tokensPerSecond, cut ? "length" : "stop");
        if (s.perSecond > 0) {
            s.tick();
            if (!s.finished() && lockstep) {
                Context loop = vertx.getOrCreateContext();
                Ticker ticker = loop.get(Ticker.class);
                if (ticker == null) {
                    ticker = new Ticker();
                    loop.put(Ticker.class, ticker);
                }
                ticker.add(s);
            } else if (!s.finished()) {
                s.timer = vertx.setPeriodic(1, id -> s.tick());
            }
        } else {
            s.flood();
        }
    }

    /** The streams of one event loop that share its tick; confined to that loop. */
    private final class Ticker {
        private final List<Stream> streams = new ArrayList<>();
        private long timer = -1;

        void add(Stream s) {
            streams.add(s);
            if (timer < 0) {
                timer = vertx.setPeriodic(1, id -> tick());
            }
        }

        private void tick() {
            streams.removeIf(s -> {
                s.tick();
                return s.finished() || s.resp.closed() || s.resp.ended();
            });
            if (streams.isEmpty()) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    /** One answer being streamed. Confined to the connection's event loop. */
    private final class Stream {
        final HttpServerResponse resp;
        final long[] times;
        final long startNanos;
        final double perSecond;
        final String doneReason;
        /** A chunk line up to its text; the same for every chunk of the answer (a real Ollama stamps each). */
        final byte[] chunkHead = ("{\"model\":\"" + MODEL + "\",\"created_at\":\"" + Instant.now()
                + "\",\"message\":{\"role\":\"assistant\",\"content\":\"").getBytes(StandardCharsets.UTF_8);
        int next;
        long timer = -1;

        Stream(HttpServerResponse resp, long[] times, long startNanos, double perSecond, String doneReason) {
            this.resp = resp;
            this.doneReason = doneReason;
            this.times = times;
            this.startNanos = startNanos;
            this.perSecond = perSecond;
        }

        boolean finished() {
            return next > times.length;
        }

        /** Writes every token due by now in one write (token 0 is due at once). */
        void tick() {
            if (resp.closed() || resp.ended()) {
                stop();
                return;
            }
            long now = System.nanoTime();
            long due = Math.min(times.length, 1 + (long) ((now - startNanos) * perSecond / 1e9));
            if (next >= due && next < times.length) {
                return;
            }
            Buffer out = Buffer.buffer(128 * (int) Math.max(1, due - next));
            for (; next < due; next++) {
                chunk(out, next);
                times[next] = now;
            }
            if (next == times.length) {
                out.appendString(done());
                next++;
                stop();
                resp.end(out);
            } else {
                resp.write(out);
            }
        }

        /** Unthrottled: one write per token, as Ollama flushes each, yielding the loop every 64 and on back-pressure. */
        void flood() {
            if (resp.closed() || resp.ended()) {
                return;
            }
            for (int n = 0; n < 64 && next < times.length; n++, next++) {
                resp.write(chunk(Buffer.buffer(128), next));
                times[next] = System.nanoTime();
                if (resp.writeQueueFull()) {
                    next++;
                    resp.drainHandler(v -> flood());
                    return;
                }
            }
            if (next == times.length) {
                next++;
                resp.end(done());
            } else {
                vertx.getOrCreateContext().runOnContext(v -> flood());
            }
        }

        private void stop() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private Buffer chunk(Buffer out, int i) {
            return out.appendBytes(chunkHead).appendString(token(i)).appendBytes(CHUNK_TAIL);
        }

        private String done() {
            long total = System.nanoTime() - startNanos;
            return "{\"model\":\"" + MODEL + "\",\"created_at\":\"" + Instant.now() + "\",\"message\":{\"role\":"
                    + "\"assistant\",\"content\":\"\"},\"done_reason\":\"" + doneReason + "\",\"done\":true,\"total_duration\":"
                    + total + ",\"load_duration\":1000000,\"prompt_eval_count\":12,\"prompt_eval_duration\":2000000,"
                    + "\"eval_count\":" + times.length + ",\"eval_duration\":" + Math.max(0, total - 3_000_000) + "}\n";
        }
    }

    private static JsonObject tag() {
        return new JsonObject().put("name", MODEL).put("model", MODEL).put("modified_at", "2025-11-01T10:00:00Z")
                .put("size", 807_000_000L).put("digest", "0123456789abcdef0123456789abcdef").put("details", details());
    }

    private static JsonObject details() {
        return new JsonObject().put("parent_model", "").put("format", "gguf").put("family", "llama")
                .put("families", new JsonArray().add("llama")).put("parameter_size", "1.2B")
                .put("quantization_level", "Q4_K_M");
    }

    private static JsonObject show() {
        return new JsonObject().put("modelfile", "FROM " + MODEL).put("parameters", "").put("template", "{{ .Prompt }}")
                .put("details", details())
                .put("model_info", new JsonObject().put("general.architecture", "llama")
                        .put("llama.context_length", 131072))
                .put("capabilities", new JsonArray().add("completion"));
    }

    private static void json(HttpServerResponse resp, JsonObject body) {
        resp.putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(body.encode().getBytes(StandardCharsets.UTF_8)));
    }
}
