package org.council.bench.inference;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;

/**
 * {@code inference.overhead} and {@code inference.unthrottled}: what a node adds to streamed
 * inference. A fake Ollama ({@link PacedOllama}) streams {@code streams} answers at once, each at
 * {@code rate} tokens/s (then unthrottled), read by Ollama clients ({@link StreamClient}) (a)
 * straight from the fake, (b) through a node's Ollama-compatible endpoint for its local model,
 * (c) through a requester node that sends the model to a server node over the TLS peer transport.
 * The fake and the clients run in this JVM, the nodes in a child JVM ({@link NodeHostProcess})
 * whose CPU time per delivered token is reported; (a) is the same run's reference.
 *
 * <p>{@code inference.overhead} (at the set rate): {@code value} is (c)'s delivered tokens/s,
 * {@code limit} (a)'s; {@code ratio_local}, {@code ratio_one_hop}; {@code ttft_ms_*} (p50) and
 * {@code ttft_p99_ms_*}; {@code inter_token_added_p99_ms_*} (arrival gap minus the fake's own write
 * gap); {@code token_delay_p99_ms_*} (fake's write to client's read); {@code tokens_per_s_*};
 * {@code cpu_us_per_token_local|one_hop} and {@code alloc_bytes_per_token_local|one_hop} (the node
 * JVM, both nodes for one hop, over the tokens delivered in the window);
 * {@code driver_cpu_us_per_token_direct} (what the fake and the clients cost, the share the node
 * competes with on a small machine). {@code inference.unthrottled}: the same without pacing, less
 * the inter-token figures. The paths take turns ({@code rounds}), so that load that changes during
 * the run falls on each of them; on a shared machine, still compare several runs.
 *
 * <p><b>Warm-up.</b> A node JVM starts cold. Its token path gets hot within seconds, but at 32
 * answers of 1,000 tokens a second its request path (HTTP parsing, routing, the scheduler, the
 * backend call; for one hop the signed request and its receipts) runs only 32 times a second and
 * would stay in the interpreter for the whole run, which made the time to first token about 3 ms
 * longer than a node that has served some thousands of requests. So each node is first warmed
 * with short answers ({@code warmupTokens}, asked with {@code num_predict}) until its JIT is quiet,
 * then with full answers until it is quiet again; unmeasured. What the first requests of a node
 * just started wait is reported too: {@code ttft_first_requests_ms_*}, the time to first token of
 * the first answer of each stream of the first warm-up pass (p50).
 *
 * <p>System properties ({@code bench.inference.}): {@code streams} (32), {@code rate} (1000
 * tokens/s per stream), {@code tokens} (1000 per answer), {@code seconds} (10, measured at the set
 * rate), {@code unthrottledSeconds} (5), {@code warmup} (3 s before each measurement; each of a
 * node's two warm-ups is repeated in passes of as long until its JIT compiles for less than 5% of
 * a pass, at most {@code warmupMax}, 60 s), {@code warmupTokens} (8, the short answers' length),
 * {@code lockstep} (true: the fake's streams get their tokens in shared ticks, see {@link PacedOllama}),
 * {@code rounds} (2: each path's time is split into this many turns), {@code nodeJvm} (options of
 * the node JVM, default {@code -Xmx512m}), {@code paths} (to run fewer
 * paths while developing: {@code direct} or {@code direct,local}; then no result line is printed).
 */
public final class InferenceBench implements BenchSuite {

    private static final String P = "bench.inference.";
    /** A node's JIT is quiet when it compiles for less than this share of the time. */
    private static final double JIT_QUIET = 0.05;

    @Override
    public String name() {
        return "inference";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        int streams = Integer.getInteger(P + "streams", 32);
        double rate = Double.parseDouble(System.getProperty(P + "rate", "1000"));
        int tokens = Integer.getInteger(P + "tokens", 1000);
        double seconds = Double.parseDouble(System.getProperty(P + "seconds", "10"));
        double floodSeconds = Double.parseDouble(System.getProperty(P + "unthrottledSeconds", "5"));
        double warmup = Double.parseDouble(System.getProperty(P + "warmup", "3"));
        List<String> nodeJvm = Arrays.stream(System.getProperty(P + "nodeJvm", "-Xmx512m").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        int rounds = Math.max(1, Integer.getInteger(P + "rounds", 2));
        double warmupMax = Double.parseDouble(System.getProperty(P + "warmupMax", "60"));
        int warmupTokens = Math.max(1, Integer.getInteger(P + "warmupTokens", 8));
        boolean lockstep = Boolean.parseBoolean(System.getProperty(P + "lockstep", "true"));
        // for development: the reference alone, or without the hop ("direct", "direct,local")
        List<String> paths = List.of(System.getProperty(P + "paths", "direct,local,one-hop").split(","));
        Cases paced = new Cases();
        Cases flood = new Cases();
        List<Lane> lanes = new ArrayList<>();
        TempDirs.withTempDir("council-bench-inference", root -> {
            // the fake backend and the clients on event loops of their own, so that neither queues behind the other
            Vertx backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            List<NodeHost> hosts = new ArrayList<>();
            try {
                PacedOllama backend = new PacedOllama(backendVertx, tokens, rate, lockstep).start().await(30, TimeUnit.SECONDS);
                StreamClient client = new StreamClient(clientVertx, tokens, backend::takeEmitted);
                lanes.add(new Lane("direct", backend.baseUrl(), null, paced.direct, flood.direct));
                if (paths.contains("local")) {
                    NodeHost local = NodeHost.start(nodeJvm, "local", backend.baseUrl(), streams, root.resolve("l"));
                    hosts.add(local);
                    lanes.add(new Lane("local", local.ollamaUrl(), local, paced.local, flood.local));
                }
                if (paths.contains("one-hop")) {
                    NodeHost hop = NodeHost.start(nodeJvm, "hop", backend.baseUrl(), streams, root.resolve("h"));
                    hosts.add(hop);
                    lanes.add(new Lane("one-hop", hop.ollamaUrl(), hop, paced.hop, flood.hop));
                }
                // the node JVMs start cold: unmeasured passes until their JIT is quiet, so that no measured
                // turn competes with their compilers (C2 took about half a core for 30 s of load), first
                // of short answers (the request path), then of full ones (the token path)
                for (Lane lane : lanes) {
                    if (lane.host != null) {
                        double pass = Math.max(3, warmup);
                        warmUp(reporter, client, lane, streams, pass, warmupMax, Math.min(warmupTokens, tokens));
                        warmUp(reporter, client, lane, streams, pass, warmupMax, tokens);
                    }
                }
                // the paths take turns, each round starting one later, so that a load that changes falls on all
                for (boolean unthrottled : new boolean[] {false, true}) {
                    double slice = (unthrottled ? floodSeconds : seconds) / rounds;
                    backend.rate(unthrottled ? 0 : rate);
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < lanes.size(); i++) {
                            Lane lane = lanes.get((i + r) % lanes.size());
                            String label = lane.name + (unthrottled ? "-unthrottled" : "") + " " + (r + 1) + "/" + rounds;
                            reporter.progress("%s: %d streams x %s for %.1f s", label, streams,
                                    unthrottled ? "unthrottled" : (long) rate + " tokens/s", slice);
                            StreamClient.Result result = client.run(label, lane.url, streams, warmup, slice,
                                    lane.host == null ? null : lane.host::sample);
                            PathTotals slot = unthrottled ? lane.flood : lane.paced;
                            slot.add(result);
                            progress(reporter, label, result, slot);
                        }
                    }
                }
            } finally {
                for (NodeHost h : hosts) {
                    h.close();
                }
                clientVertx.close().await(60, TimeUnit.SECONDS);
                backendVertx.close().await(60, TimeUnit.SECONDS);
            }
        });
        if (!paths.containsAll(List.of("local", "one-hop"))) {
            reporter.progress("bench.inference.paths=%s: no result lines without all three paths", paths);
            return;
        }
        Map<String, Object> extra = paced.fields(true);
        for (Lane lane : lanes) {
            if (lane.host != null) {
                extra.put("ttft_first_requests_ms_" + lane.name.replace('-', '_'), lane.firstTtft.percentileMs(50));
            }
        }
        extra.put("streams", streams);
        extra.put("rate", rate);
        extra.put("tokens_per_answer", tokens);
        extra.put("seconds", seconds);
        extra.put("lockstep", lockstep);
        reporter.result("inference.overhead", paced.hop.tokensPerSecond(), "tokens/s",
                paced.direct.tokensPerSecond(), extra);
        Map<String, Object> fx = flood.fields(false);
        fx.put("streams", streams);
        fx.put("tokens_per_answer", tokens);
        fx.put("seconds", floodSeconds);
        reporter.result("inference.unthrottled", flood.hop.tokensPerSecond(), "tokens/s",
                flood.direct.tokensPerSecond(), fx);
    }

    /**
     * Unmeasured passes of {@code pass} seconds through {@code lane}, answers of {@code answerTokens},
     * until its node's JIT compiled for less than 5% of a pass ({@link #JIT_QUIET}), or until
     * {@code max} seconds went by. The node's very first answers are noted in {@code lane.firstTtft}.
     */
    private static void warmUp(BenchReporter reporter, StreamClient client, Lane lane, int streams, double pass,
            double max, int answerTokens) throws Exception {
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            StreamClient.Result r = client.run(lane.name + "-warm-up", lane.url, streams, 0, pass, lane.host::sample,
                    answerTokens);
            if (lane.firstTtft.size() == 0) {
                lane.firstTtft.addAll(r.firstTtft());
                reporter.progress("%s: the node's first %d requests: time to first token p50 %.2f ms, max %.2f ms",
                        lane.name, r.firstTtft().size(), r.firstTtft().percentileMs(50), r.firstTtft().percentileMs(100));
            }
            double jit = (r.nodeAfter().jitMillis() - r.nodeBefore().jitMillis()) / 1e3 / r.seconds();
            double took = (System.nanoTime() - start) / 1e9;
            reporter.progress("%s: warm-up pass %d (%d-token answers, %d of them), the node's JIT compiled for %.0f%% "
                    + "of it", lane.name, i, answerTokens, r.answers(), 100 * jit);
            if (jit < JIT_QUIET || took + pass > max) {
                return;
            }
        }
    }

    private static void progress(BenchReporter reporter, String label, StreamClient.Result r, PathTotals slot) {
        reporter.progress("%s: %.0f tokens/s, ttft p50 %.2f ms p99 %.2f ms, added gap p99 %.2f ms, token delay p50 "
                        + "%.1f ms p99 %.1f ms, %d answers, %d errors%s", label, r.tokens() / r.seconds(),
                r.ttft().percentileMs(50), r.ttft().percentileMs(99), r.addedGap().percentileMs(99),
                r.delay().percentileMs(50), r.delay().percentileMs(99), r.answers(), r.errors(),
                r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
        if (r.nodeAfter() == null) {
            reporter.progress("%s: the fake backend and the clients used %.1f us of CPU per token", label,
                    r.driverCpuNanos() / 1e3 / Math.max(1, r.tokens()));
        } else {
            reporter.progress("%s: node cpu %.1f us/token, allocated %.0f bytes/token so far; busiest node threads: %s",
                    label, slot.nodeCpuPerToken(), slot.nodeBytesPerToken(), slot.busiestThreads());
        }
    }

    /** One path and its figures at the set rate and unthrottled, and its node's first requests. */
    private record Lane(String name, String url, NodeHost host, PathTotals paced, PathTotals flood, Samples firstTtft) {
        Lane(String name, String url, NodeHost host, PathTotals paced, PathTotals flood) {
            this(name, url, host, paced, flood, new Samples());
        }
    }

    /** The three paths of one mode (at the set rate, or unthrottled). */
    private static final class Cases {
        final PathTotals direct = new PathTotals();
        final PathTotals local = new PathTotals();
        final PathTotals hop = new PathTotals();

        Map<String, Object> fields(boolean gaps) {
            Map<String, Object> f = new LinkedHashMap<>();
            double limit = direct.tokensPerSecond();
            f.put("ratio_local", local.tokensPerSecond() / limit);
            f.put("ratio_one_hop", hop.tokensPerSecond() / limit);
            f.put("ttft_ms_direct", direct.ttft.percentileMs(50));
            f.put("ttft_ms_local", local.ttft.percentileMs(50));
            f.put("ttft_ms_one_hop", hop.ttft.percentileMs(50));
            f.put("ttft_p99_ms_direct", direct.ttft.percentileMs(99));
            f.put("ttft_p99_ms_local", local.ttft.percentileMs(99));
            f.put("ttft_p99_ms_one_hop", hop.ttft.percentileMs(99));
            if (gaps) {
                f.put("inter_token_added_p99_ms_direct", direct.addedGap.percentileMs(99));
                f.put("inter_token_added_p99_ms_local", local.addedGap.percentileMs(99));
                f.put("inter_token_added_p99_ms_one_hop", hop.addedGap.percentileMs(99));
            }
            // from the backend's write to the client's read: grows when a path buffers what it cannot pass on
            f.put("token_delay_p99_ms_direct", direct.delay.percentileMs(99));
            f.put("token_delay_p99_ms_local", local.delay.percentileMs(99));
            f.put("token_delay_p99_ms_one_hop", hop.delay.percentileMs(99));
            f.put("tokens_per_s_direct", limit);
            f.put("tokens_per_s_local", local.tokensPerSecond());
            f.put("tokens_per_s_one_hop", hop.tokensPerSecond());
            f.put("cpu_us_per_token_local", local.nodeCpuPerToken());
            f.put("cpu_us_per_token_one_hop", hop.nodeCpuPerToken());
            f.put("alloc_bytes_per_token_local", local.nodeBytesPerToken());
            f.put("alloc_bytes_per_token_one_hop", hop.nodeBytesPerToken());
            // what the fake backend and the clients cost in the driver, per token read straight from the backend
            f.put("driver_cpu_us_per_token_direct", direct.driverCpuPerToken());
            f.put("errors", direct.errors() + local.errors() + hop.errors());
            return f;
        }
    }
}
