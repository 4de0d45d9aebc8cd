package org.council.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.council.api.http.AuditApi;

/**
 * A closed-loop HTTP load: {@code clients} callers, each sending its next read of a
 * {@link ReadPlan} as soon as the previous answer has arrived, over keep-alive connections of one
 * Vert.x {@link HttpClientAgent}. Every answer must be 200; every 20th is also gathered, parsed and
 * checked against what was asked (a page is full, an event has the asked id), the others are
 * only counted as they stream in. Latencies run from sending to the last byte of the body.
 *
 * <p>All bookkeeping runs on one event-loop context, so it needs no locks; {@link #run} blocks the
 * calling thread, which must not be a Vert.x thread.
 */
final class LoadClient implements AutoCloseable {

    /** What one run did; {@code latenciesNanos} of the successful reads, sorted. */
    record Result(long ok, long errors, Map<String, Long> errorKinds, long checked, long bytes, double seconds,
                  long[] latenciesNanos) {

        static final Result NONE = new Result(0, 0, Map.of(), 0, 0, 0, new long[0]);

        double rate() {
            return ok / seconds;
        }

        /** This run and {@code o} as one: counts and seconds added, latencies merged. */
        Result plus(Result o) {
            Map<String, Long> kinds = new TreeMap<>(errorKinds);
            o.errorKinds.forEach((k, v) -> kinds.merge(k, v, Long::sum));
            long[] all = Arrays.copyOf(latenciesNanos, latenciesNanos.length + o.latenciesNanos.length);
            System.arraycopy(o.latenciesNanos, 0, all, latenciesNanos.length, o.latenciesNanos.length);
            Arrays.sort(all);
            return new Result(ok + o.ok, errors + o.errors, kinds, checked + o.checked, bytes + o.bytes,
                    seconds + o.seconds, all);
        }

        double percentileMs(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, i))] / 1e6;
        }
    }

    private static final int CHECK_EVERY = 20;
    /** Whether the clients ask for gzip ({@code -Dbench.api.gzip=true}); not by default: on loopback it only costs CPU. */
    static final boolean GZIP = Boolean.getBoolean("bench.api.gzip");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpClientAgent http;
    private final Context context;
    private final int port;
    private final ReadPlan plan;
    private final int clients;

    LoadClient(int port, ReadPlan plan, int clients) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(GZIP),
                new PoolOptions().setHttp1MaxSize(clients));
        this.context = vertx.getOrCreateContext();
        this.port = port;
        this.plan = plan;
        this.clients = clients;
    }

    /** Runs the load for {@code seconds} and waits for the reads in flight at the end. */
    Result run(double seconds, long seed) throws Exception {
        Run run = new Run(System.nanoTime() + (long) (seconds * 1e9));
        context.runOnContext(v -> {
            for (int c = 0; c < clients; c++) {
                run.next(new Random(seed * 10_000 + c), 0);
            }
        });
        return run.done.get((long) seconds + 120, TimeUnit.SECONDS);
    }

    /** One timed run; touched only on {@link #context}. */
    private final class Run {
        final long t0 = System.nanoTime();
        final long deadline;
        final CompletableFuture<Result> done = new CompletableFuture<>();
        final Map<String, Long> errorKinds = new TreeMap<>();
        long[] latencies = new long[1 << 16];
        long ok;
        long errors;
        long checked;
        long bytes;
        int active = clients;

        Run(long deadline) {
            this.deadline = deadline;
        }

        void next(Random random, long sent) {
            if (System.nanoTime() >= deadline) {
                if (--active == 0) {
                    done.complete(new Result(ok, errors, errorKinds, checked, bytes, (System.nanoTime() - t0) / 1e9,
                            sorted()));
                }
                return;
            }
            ReadPlan.Read read = plan.next(random);
            boolean check = (sent + 1) % CHECK_EVERY == 0;
            long start = System.nanoTime();
            http.request(HttpMethod.GET, port, "127.0.0.1", AuditApi.BASE + read.path())
                    .compose(req -> req.send())
                    .compose(resp -> check ? resp.body().map(body -> problem(read, resp, body))
                            : counted(resp))
                    .onComplete(ar -> {
                        long took = System.nanoTime() - start;
                        if (ar.failed()) {
                            error(ar.cause().getClass().getSimpleName());
                        } else if (ar.result() != null) {
                            error(ar.result());
                        } else {
                            record(took);
                            checked += check ? 1 : 0;
                        }
                        next(random, sent + 1);
                    });
        }

        private void error(String kind) {
            errors++;
            errorKinds.merge(kind, 1L, Long::sum);
        }

        private void record(long nanos) {
            if (ok == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[(int) ok++] = nanos;
        }

        private String problem(ReadPlan.Read read, HttpClientResponse resp, Buffer body) {
            bytes += body.length();
            if (resp.statusCode() != 200) {
                return "status " + resp.statusCode();
            }
            return wrongAnswer(read, body);
        }

        // An answer not checked is counted as it arrives, not gathered into one buffer: gathering
        // copied each ~100 KB page again as the buffer grew, about a third of the client's CPU,
        // which shares the cores with the server (and the reference has no client at all).
        private Future<String> counted(HttpClientResponse resp) {
            resp.handler(chunk -> bytes += chunk.length());
            return resp.end().map(v -> resp.statusCode() == 200 ? null : "status " + resp.statusCode());
        }

        private long[] sorted() {
            long[] s = Arrays.copyOf(latencies, (int) ok);
            Arrays.sort(s);
            return s;
        }
    }

    /** Null when {@code body} answers {@code read}, else what is wrong with it. */
    private String wrongAnswer(ReadPlan.Read read, Buffer body) {
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            if (read instanceof ReadPlan.FeedPage) {
                return json.path("events").size() == ReadPlan.PAGE ? null : "short page";
            } else if (read instanceof ReadPlan.EventById e) {
                return json.path("id").asText().equals(e.id().hex()) ? null : "wrong event";
            } else if (read instanceof ReadPlan.AccountOf a) {
                return json.path("id").asText().equals(a.id().hex()) ? null : "wrong account";
            }
            return json.path("feeds").size() >= plan.heads().size() ? null : "missing feeds";
        } catch (IOException e) {
            return "unparseable JSON";
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(60, TimeUnit.SECONDS);
    }
}
