package org.council.bench.inference;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Ollama clients: {@code streams} of them, each POSTing {@code /api/chat} (streamed) to one base
 * URL back to back, reading the NDJSON lines as they arrive. Of what arrives in the measured
 * window it counts the tokens and answers, takes each first token's time since its request was
 * sent, for every later token the gap since the previous one minus the backend's own gap
 * between writing the two (the delay added on the way), and for every token the time from the
 * backend's write to its arrival (which grows when a path buffers what it cannot pass on). Each
 * answer's tokens are checked in order and in number. The time to first token of each stream's
 * first answer is kept apart ({@link Result#firstTtft}), whether in the window or not: on a node just
 * started, those are its first requests.
 */
final class StreamClient {

    /** What one run measured; {@code nodeBefore} and {@code nodeAfter} are null without a node. */
    record Result(long tokens, double seconds, Samples ttft, Samples addedGap, Samples delay, long answers, long errors,
                  NodeSample nodeBefore, NodeSample nodeAfter, long driverCpuNanos, String firstError, Samples firstTtft) {
    }

    private static final byte[] TOKEN_END = "\"done\":false}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Vertx vertx;
    private final int tokensPerAnswer;
    private final Function<String, long[]> emitted;

    /** @param emitted the backend's write times of an answer's tokens, by prompt (see {@link PacedOllama}) */
    StreamClient(Vertx vertx, int tokensPerAnswer, Function<String, long[]> emitted) {
        this.vertx = vertx;
        this.tokensPerAnswer = tokensPerAnswer;
        this.emitted = emitted;
    }

    /** {@link #run(String, String, int, double, double, Supplier, int)} with answers of full length. */
    Result run(String label, String baseUrl, int streams, double warmupS, double seconds, Supplier<NodeSample> node)
            throws Exception {
        return run(label, baseUrl, streams, warmupS, seconds, node, tokensPerAnswer);
    }

    /**
     * Runs {@code streams} clients against {@code baseUrl} for {@code warmupS} then {@code seconds},
     * sampling the node ({@code node}, or null for none) at both ends of the window, and waits for
     * the answers still streaming at the end. Answers of fewer than the backend's tokens are asked
     * with Ollama's {@code options.num_predict} ({@code answerTokens}).
     */
    Result run(String label, String baseUrl, int streams, double warmupS, double seconds, Supplier<NodeSample> node,
            int answerTokens) throws Exception {
        URI uri = URI.create(baseUrl);
        HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(streams + 4));
        Run run = new Run(label, http, new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI("/api/chat").putHeader("content-type", "application/json"), streams,
                Math.min(answerTokens, tokensPerAnswer));
        try {
            for (int s = 0; s < streams; s++) {
                run.ask(s, 0);
            }
            Thread.sleep((long) (warmupS * 1000));
            NodeSample node0 = node == null ? null : node.get();
            long self0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            run.windowStart = t0;
            Thread.sleep((long) (seconds * 1000));
            long t1 = System.nanoTime();
            run.windowEnd = t1;
            run.stopping = true;
            NodeSample node1 = node == null ? null : node.get();
            long self1 = ProcessCpu.nanos();
            if (!run.running.await(120, TimeUnit.SECONDS)) {
                run.error("answers still streaming 120 s after the end");
            }
            return new Result(run.tokens.get(), (t1 - t0) / 1e9, run.ttft, run.addedGap, run.delay, run.answers.get(),
                    run.errors.get(), node0, node1, self1 - self0, run.firstError.get(), run.firstTtft);
        } finally {
            http.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** One run's shared state; each answer is confined to its connection's event loop. */
    private final class Run {
        final String label;
        final HttpClientAgent http;
        final RequestOptions options;
        final CountDownLatch running;
        final AtomicLong tokens = new AtomicLong();
        final AtomicLong answers = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final Samples ttft = new Samples();
        final Samples addedGap = new Samples();
        final Samples delay = new Samples();
        final Samples firstTtft = new Samples();
        final int answerTokens;
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        volatile boolean stopping;

        Run(String label, HttpClientAgent http, RequestOptions options, int streams, int answerTokens) {
            this.label = label;
            this.answerTokens = answerTokens;
            this.http = http;
            this.options = options;
            this.running = new CountDownLatch(streams);
        }

        /** Whether {@code nanos} falls in the measured window (its end is open until set). */
        boolean inWindow(long nanos) {
            return nanos >= windowStart && nanos < windowEnd;
        }

        void error(String what) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, what);
        }

        void ask(int stream, int seq) {
            if (stopping) {
                running.countDown();
                return;
            }
            Answer a = new Answer(this, stream, seq, "bench " + label + " " + stream + " " + seq);
            String body = "{\"model\":\"" + PacedOllama.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + a.prompt + "\"}],\"stream\":true"
                    + (answerTokens < tokensPerAnswer ? ",\"options\":{\"num_predict\":" + answerTokens + "}}" : "}");
            a.sentAt = System.nanoTime();
            // handlers attached before the request goes out, so that no chunk can arrive before them
            // (Vert.x 5 may run send()'s callback as a task after the answer has ended)
            http.request(options).compose(req -> {
                Future<HttpClientResponse> response = req.response();
                response.onSuccess(a::read);
                req.end(Buffer.buffer(body));
                return response;
            }).onFailure(t -> a.fail("request failed: " + t));
        }
    }

    /** One streamed answer. */
    private final class Answer {
        final Run run;
        final int stream;
        final int seq;
        final String prompt;
        final long[] arrivals;
        /** The start of a line not yet complete, or null. */
        Buffer pending;
        long sentAt;
        int count;
        boolean over;

        Answer(Run run, int stream, int seq, String prompt) {
            this.run = run;
            this.stream = stream;
            this.seq = seq;
            this.prompt = prompt;
            this.arrivals = new long[run.answerTokens];
        }

        void read(HttpClientResponse resp) {
            if (resp.statusCode() != 200) {
                resp.body().onComplete(b -> fail("status " + resp.statusCode() + ": "
                        + (b.succeeded() ? b.result().toString() : "")));
                return;
            }
            resp.exceptionHandler(t -> fail("stream failed: " + t));
            resp.handler(this::onBytes);
            resp.endHandler(v -> {
                if (!over) {
                    fail("the stream ended without its done line after " + count + " tokens");
                }
            });
        }

        /** Splits lines without copying the bytes of whole ones: the client's cost competes with the node's. */
        private void onBytes(Buffer chunk) {
            long now = System.nanoTime();
            Buffer buf = pending == null ? chunk : pending.appendBuffer(chunk);
            int from = 0;
            for (int i = buf.length() - chunk.length(); i < buf.length(); i++) {
                if (buf.getByte(i) == '\n') {
                    line(buf, from, i, now);
                    from = i + 1;
                }
            }
            pending = from == buf.length() ? null : buf.getBuffer(from, buf.length());
        }

        /** A token line ends with {@code "done":false}; its content is a space and a number. */
        private void line(Buffer buf, int from, int to, long now) {
            if (over) {
                return;
            }
            if (!NdjsonBytes.endsWith(buf, to, TOKEN_END)) {
                String line = buf.getString(from, to, StandardCharsets.UTF_8.name());
                if (line.contains("\"done\":true") && !line.contains("\"error\"")) {
                    finish();
                } else {
                    fail("unexpected line: " + line);
                }
                return;
            }
            // a node may batch tokens that arrived together into one line: " 7 8 9" is three tokens
            int at = NdjsonBytes.indexOf(buf, from, to, CONTENT);
            if (at < 0 || buf.getByte(at) != ' ') {
                fail("token " + count + " is in line " + buf.getString(from, to, StandardCharsets.UTF_8.name()));
                return;
            }
            for (int i = at; i < to && buf.getByte(i) == ' '; ) {
                int value = 0;
                for (i++; i < to && buf.getByte(i) != '"' && buf.getByte(i) != ' '; i++) {
                    value = value * 10 + buf.getByte(i) - '0';
                }
                if (count >= arrivals.length || value != count % 1000) {
                    fail("token " + count + " is in line " + buf.getString(from, to, StandardCharsets.UTF_8.name()));
                    return;
                }
                arrivals[count++] = now;
                if (count == 1 && seq == 0) {
                    run.firstTtft.add(now - sentAt);
                }
                if (run.inWindow(now)) {
                    run.tokens.incrementAndGet();
                    if (count == 1) {
                        run.ttft.add(now - sentAt);
                    }
                }
            }
        }

        private void finish() {
            over = true;
            long[] emit = emitted.apply(prompt);
            if (count != arrivals.length) {
                run.error("answer " + prompt + " had " + count + " tokens");
            } else if (emit != null) {
                for (int i = 0; i < count; i++) {
                    if (run.inWindow(arrivals[i])) {
                        run.delay.add(arrivals[i] - emit[i]);
                        if (i > 0) {
                            run.addedGap.add((arrivals[i] - arrivals[i - 1]) - (emit[i] - emit[i - 1]));
                        }
                    }
                }
            }
            if (run.inWindow(System.nanoTime())) {
                run.answers.incrementAndGet();
            }
            run.ask(stream, seq + 1);
        }

        private void fail(String what) {
            if (over) {
                return;
            }
            over = true;
            emitted.apply(prompt);
            run.error(what);
            // a failing stream pauses before asking again, so that an error does not become a busy loop
            vertx.setTimer(100, id -> run.ask(stream, seq + 1));
        }
    }
}
