package org.council.bench.inference;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
 * the inter-token figures. Each path is measured in turn, so load that changes during the run
 * shows in the ratios: on a shared machine, compare several runs.
 *
 * <p>System properties ({@code bench.inference.}): {@code streams} (32), {@code rate} (1000
 * tokens/s per stream), {@code tokens} (1000 per answer), {@code seconds} (10, measured at the set
 * rate), {@code unthrottledSeconds} (5), {@code warmup} (3 s before each measurement),
 * {@code nodeJvm} (options of the node JVM, default {@code -Xmx512m}), {@code paths} (to run fewer
 * paths while developing: {@code direct} or {@code direct,local}; then no result line is printed).
 */
public final class InferenceBench implements BenchSuite {

    private static final String P = "bench.inference.";

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
        // for development: the reference alone, or without the hop ("direct", "direct,local")
        List<String> paths = List.of(System.getProperty(P + "paths", "direct,local,one-hop").split(","));
        Cases paced = new Cases();
        Cases flood = new Cases();
        TempDirs.withTempDir("council-bench-inference", root -> {
            // the fake backend and the clients on event loops of their own, so that neither queues behind the other
            Vertx backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            try {
                PacedOllama backend = new PacedOllama(backendVertx, tokens, rate).start().await(30, TimeUnit.SECONDS);
                StreamClient client = new StreamClient(clientVertx, tokens, backend::takeEmitted);
                Measure m = (label, url, host, perStream, s) -> {
                    backend.rate(perStream);
                    reporter.progress("%s: %d streams x %s for %.0f s", label, streams,
                            perStream > 0 ? (long) perStream + " tokens/s" : "unthrottled", s);
                    StreamClient.Result r = client.run(label, url, streams, warmup, s,
                            host == null ? null : host::sample);
                    reporter.progress("%s: %.0f tokens/s, ttft p50 %.2f ms p99 %.2f ms, added gap p99 %.2f ms, "
                                    + "token delay p50 %.1f ms p99 %.1f ms, node cpu %.1f us/token, %d answers, "
                                    + "%d errors%s", label, r.tokensPerSecond(),
                            r.ttft().percentileMs(50), r.ttft().percentileMs(99), r.addedGap().percentileMs(99),
                            r.delay().percentileMs(50), r.delay().percentileMs(99),
                            r.nodeCpuPerToken(), r.answers(), r.errors(),
                            r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
                    if (r.nodeAfter() == null) {
                        reporter.progress("%s: the fake backend and the clients used %.1f us of CPU per token", label,
                                r.driverCpuNanos() / 1e3 / Math.max(1, r.tokens()));
                    } else {
                        reporter.progress("%s: node allocated %.0f bytes/token; busiest node threads: %s", label,
                                r.nodeBytesPerToken(), r.nodeAfter().busiestSince(r.nodeBefore(), 4));
                    }
                    return r;
                };
                paced.direct = m.run("direct", backend.baseUrl(), null, rate, seconds);
                flood.direct = m.run("direct-unthrottled", backend.baseUrl(), null, 0, floodSeconds);
                if (!paths.contains("local")) {
                    return;
                }
                try (NodeHost local = NodeHost.start(nodeJvm, "local", backend.baseUrl(), streams, root.resolve("l"))) {
                    paced.local = m.run("local", local.ollamaUrl(), local, rate, seconds);
                    flood.local = m.run("local-unthrottled", local.ollamaUrl(), local, 0, floodSeconds);
                }
                if (!paths.contains("one-hop")) {
                    return;
                }
                try (NodeHost hop = NodeHost.start(nodeJvm, "hop", backend.baseUrl(), streams, root.resolve("h"))) {
                    paced.hop = m.run("one-hop", hop.ollamaUrl(), hop, rate, seconds);
                    flood.hop = m.run("one-hop-unthrottled", hop.ollamaUrl(), hop, 0, floodSeconds);
                }
                backend.close().await(30, TimeUnit.SECONDS);
            } finally {
                clientVertx.close().await(60, TimeUnit.SECONDS);
                backendVertx.close().await(60, TimeUnit.SECONDS);
            }
        });
        if (paced.hop == null) {
            reporter.progress("bench.inference.paths=%s: no result lines without all three paths", paths);
            return;
        }
        Map<String, Object> extra = paced.fields(true);
        extra.put("streams", streams);
        extra.put("rate", rate);
        extra.put("tokens_per_answer", tokens);
        extra.put("seconds", seconds);
        reporter.result("inference.overhead", paced.hop.tokensPerSecond(), "tokens/s",
                paced.direct.tokensPerSecond(), extra);
        Map<String, Object> fx = flood.fields(false);
        fx.put("streams", streams);
        fx.put("tokens_per_answer", tokens);
        fx.put("seconds", floodSeconds);
        reporter.result("inference.unthrottled", flood.hop.tokensPerSecond(), "tokens/s",
                flood.direct.tokensPerSecond(), fx);
    }

    @FunctionalInterface
    private interface Measure {
        StreamClient.Result run(String label, String url, NodeHost host, double perStream, double seconds)
                throws Exception;
    }

    /** The three paths of one mode (at the set rate, or unthrottled). */
    private static final class Cases {
        StreamClient.Result direct;
        StreamClient.Result local;
        StreamClient.Result hop;

        Map<String, Object> fields(boolean gaps) {
            Map<String, Object> f = new LinkedHashMap<>();
            double limit = direct.tokensPerSecond();
            f.put("ratio_local", local.tokensPerSecond() / limit);
            f.put("ratio_one_hop", hop.tokensPerSecond() / limit);
            f.put("ttft_ms_direct", direct.ttft().percentileMs(50));
            f.put("ttft_ms_local", local.ttft().percentileMs(50));
            f.put("ttft_ms_one_hop", hop.ttft().percentileMs(50));
            f.put("ttft_p99_ms_direct", direct.ttft().percentileMs(99));
            f.put("ttft_p99_ms_local", local.ttft().percentileMs(99));
            f.put("ttft_p99_ms_one_hop", hop.ttft().percentileMs(99));
            if (gaps) {
                f.put("inter_token_added_p99_ms_direct", direct.addedGap().percentileMs(99));
                f.put("inter_token_added_p99_ms_local", local.addedGap().percentileMs(99));
                f.put("inter_token_added_p99_ms_one_hop", hop.addedGap().percentileMs(99));
            }
            // from the backend's write to the client's read: grows when a path buffers what it cannot pass on
            f.put("token_delay_p99_ms_direct", direct.delay().percentileMs(99));
            f.put("token_delay_p99_ms_local", local.delay().percentileMs(99));
            f.put("token_delay_p99_ms_one_hop", hop.delay().percentileMs(99));
            f.put("tokens_per_s_direct", limit);
            f.put("tokens_per_s_local", local.tokensPerSecond());
            f.put("tokens_per_s_one_hop", hop.tokensPerSecond());
            f.put("cpu_us_per_token_local", local.nodeCpuPerToken());
            f.put("cpu_us_per_token_one_hop", hop.nodeCpuPerToken());
            f.put("alloc_bytes_per_token_local", local.nodeBytesPerToken());
            f.put("alloc_bytes_per_token_one_hop", hop.nodeBytesPerToken());
            // what the fake backend and the clients cost in the driver, per token read straight from the backend
            f.put("driver_cpu_us_per_token_direct", direct.driverCpuNanos() / 1e3 / Math.max(1, direct.tokens()));
            f.put("errors", direct.errors() + local.errors() + hop.errors());
            return f;
        }
    }
}
