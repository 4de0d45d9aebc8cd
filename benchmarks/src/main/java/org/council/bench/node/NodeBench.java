package org.council.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;
import org.council.bench.api.AuditLedger;

/**
 * {@code node.start} and {@code node.rss}: how long {@code ./council run} takes on a data directory
 * of a million events until its JSON API answers, and its resident memory after serving a
 * replicating peer and audit readers for a minute. The limits are the fixed ones (15 s,
 * 300 MB on 2 cores), not same-run references: what an operator feels does not scale with the
 * machine's crypto speed.
 *
 * <p>The node is started through the launcher, so the launcher's default JVM options are the ones
 * measured ({@code COUNCIL_JAVA_OPTS} in this JVM's environment is passed on and reported). The
 * ledger is the api suite's cached one (built through real ingest, 16 authors); see
 * {@link NodeDirs} for how the data directory is made from it. The peer is a second node, an
 * empty one dialing the first, started from this benchmark's class path with its own fixed heap,
 * so that it pulls the same way before and after a change of the launcher; it pulls as much as it
 * can in the serving time.
 */
public final class NodeBench implements BenchSuite {

    private static final int EVENTS = Integer.getInteger("bench.node.events", 1_000_000);
    private static final int AUTHORS = Integer.getInteger("bench.node.authors", 16);
    /** Shared with the api suite, so that one cached ledger serves both. */
    private static final String CACHE = System.getProperty("bench.node.cache", "benchmarks/target/bench-cache");
    private static final double SERVE_SECONDS = Double.parseDouble(System.getProperty("bench.node.serve", "60"));
    private static final double START_TIMEOUT = Double.parseDouble(System.getProperty("bench.node.startTimeout", "300"));
    private static final int READERS = Integer.getInteger("bench.node.readers", 4);
    private static final boolean PEER = Boolean.parseBoolean(System.getProperty("bench.node.peer", "true"));
    private static final String LAUNCHER = System.getProperty("bench.node.launcher", "council");
    private static final String PEER_JVM = System.getProperty("bench.node.peerJvm", "-Xmx256m");
    private static final double START_LIMIT = 15;
    private static final double RSS_LIMIT_MB = 300;

    @Override
    public String name() {
        return "node";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        TempDirs.withTempDir("council-bench-node", root -> runIn(root, reporter));
    }

    private void runIn(Path root, BenchReporter reporter) throws Exception {
        Path cache = CACHE.equals("none") ? null : Path.of(CACHE).toAbsolutePath();
        AuditLedger.Obtained ledger = AuditLedger.obtain(reporter, cache, root.resolve("built"), EVENTS, AUTHORS);
        int apiPort = NodeDirs.freePort();
        int peerPort = NodeDirs.freePort();
        Path dir = root.resolve("node");
        NodeDirs.served(dir, ledger.dir(), apiPort, peerPort);
        String javaOpts = System.getenv("COUNCIL_JAVA_OPTS");
        String heap = javaOpts == null ? "launcher default" : javaOpts.isBlank() ? "JVM defaults" : javaOpts;
        String launcher = Path.of(LAUNCHER).toAbsolutePath().toString();
        // the launcher builds its jar when sources are newer: that build is not the node's start
        reporter.progress("%s --version, untimed (it builds the node's jar if sources changed)...", launcher);
        Process version = new ProcessBuilder(launcher, "--version").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!version.waitFor(10, java.util.concurrent.TimeUnit.MINUTES) || version.exitValue() != 0) {
            version.destroyForcibly();
            throw new IllegalStateException(launcher + " --version failed: the launcher cannot build or start the node");
        }
        List<String> cmd = List.of(launcher, "run", "--data-dir", dir.toString());
        reporter.progress("starting %s (JVM options: %s)...", String.join(" ", cmd), heap);
        try (NodeProcess node = NodeProcess.start(cmd, Map.of(), root.resolve("node.log"), apiPort)) {
            double start = node.awaitApi(START_TIMEOUT);
            double startCpu = node.cpuSeconds();
            long startRssKb = node.statusKb("VmRSS");
            long events = eventCount(node.apiBase());
            reporter.progress("the API answered after %.2f s (pid %d, RSS %.0f MB, %,d events)", start, node.pid(),
                    startRssKb / 1024.0, events);
            Map<String, Object> startExtra = extra(events, ledger.source(), heap);
            startExtra.put("cpu_s", round(startCpu));
            startExtra.put("load_avg", loadAverage());
            reporter.result("node.start", start, "s", START_LIMIT, startExtra);
            Serving s = serve(reporter, root, node, peerPort);
            long rssKb = node.statusKb("VmRSS");
            if (!node.alive() || rssKb < 0) {
                throw new IOException("the node is gone after serving; its output ends with:\n" + node.tail());
            }
            Map<String, Object> extra = extra(events, ledger.source(), heap);
            extra.put("peak_rss_mb", round(node.statusKb("VmHWM") / 1024.0));
            extra.put("rss_after_start_mb", round(startRssKb / 1024.0));
            extra.put("serve_s", SERVE_SECONDS);
            extra.put("audit_pages", s.pages);
            extra.put("audit_pages_per_s", round(s.pages / SERVE_SECONDS));
            extra.put("audit_errors", s.errors);
            extra.put("peer_replicated_events", s.replicated);
            extra.put("load_avg", loadAverage());
            reporter.result("node.rss", rssKb / 1024.0, "MB", RSS_LIMIT_MB, extra);
        }
    }

    private record Serving(long pages, long errors, long replicated) {
    }

    private Serving serve(BenchReporter reporter, Path root, NodeProcess node, int peerPort) throws Exception {
        NodeProcess peer = null;
        int peerApi = NodeDirs.freePort();
        if (PEER) {
            Path peerDir = root.resolve("peer");
            NodeDirs.peer(peerDir, peerApi, "127.0.0.1:" + peerPort);
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(Arrays.stream(PEER_JVM.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.council.node.cli.CouncilCli",
                    "run", "--data-dir", peerDir.toString()));
            peer = NodeProcess.start(cmd, Map.of(), root.resolve("peer.log"), peerApi);
        }
        try (AuditReaders readers = new AuditReaders(node.apiBase(), READERS)) {
            reporter.progress("serving for %.0f s: %d audit readers%s...", SERVE_SECONDS, READERS,
                    PEER ? " and a peer replicating from scratch" : "");
            long end = System.nanoTime() + (long) (SERVE_SECONDS * 1e9);
            long nextReport = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(250);
                if (System.nanoTime() >= nextReport) {
                    reporter.progress("  RSS %.0f MB, %,d pages read, peer holds %,d events",
                            node.statusKb("VmRSS") / 1024.0, readers.ok(), peer == null ? 0 : peerEvents(peer));
                    nextReport += 15_000_000_000L;
                }
            }
            long replicated = peer == null ? 0 : peerEvents(peer);
            return new Serving(readers.ok(), readers.errors(), replicated);
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
    }

    /** Events a peer holds now, or -1 while its API does not answer yet. */
    private static long peerEvents(NodeProcess peer) {
        try {
            return eventCount(peer.apiBase());
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static long eventCount(String apiBase) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(apiBase + "/feeds")).build(), HttpResponse.BodyHandlers.ofString());
        long n = 0;
        for (JsonNode f : new ObjectMapper().readTree(r.body()).path("feeds")) {
            n += f.path("head_seq").asLong();
        }
        return n;
    }

    private static Map<String, Object> extra(long events, String ledgerSource, String heap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("ledger", ledgerSource);
        m.put("jvm_options", heap);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** The one-minute load average when the node came up: the machine may be shared. */
    private static double loadAverage() {
        return round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
