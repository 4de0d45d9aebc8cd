package org.council.bench.api;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;

/**
 * {@code api.audit_read}: audit reads per second that the real {@code AuditApi} serves over HTTP
 * from a RocksDB ledger of a million events, under a closed-loop load of concurrent clients, with
 * the p50 and p99 latency and the serving JVM's resident memory. The limit is the same read mix
 * run straight against the store from as many threads, in the same run: the ratio is what HTTP
 * and JSON leave of the store's read rate.
 *
 * <p>The API serves from its own JVM ({@link AuditServerProcess}), so that its resident memory is
 * its own; the load comes from this JVM. Both share the machine's cores.
 */
public final class ApiBench implements BenchSuite {

    private static final int EVENTS = Integer.getInteger("bench.api.events", 1_000_000);
    private static final int AUTHORS = Integer.getInteger("bench.api.authors", 16);
    private static final int CLIENTS = Integer.getInteger("bench.api.clients", 32);
    private static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("bench.api.warmup", "10"));
    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.api.seconds", "20"));
    /** Where built ledgers are kept between runs; {@code none} builds a fresh one in a scratch directory. */
    private static final String CACHE = System.getProperty("bench.api.cache", "benchmarks/target/bench-cache");
    /**
     * The serving JVM's options. RSS is reported, so the heap is bounded as an operator would bound
     * it: the server keeps under 100 MB live; without a bound the JVM's default (a quarter of RAM)
     * let the heap grow to 800 MB and RSS to 1 GB at the same throughput.
     */
    private static final String SERVER_JVM = System.getProperty("bench.api.serverJvm", "-Xmx256m");
    private static final String MIX = ReadPlan.PAGES + "% feed pages of " + ReadPlan.PAGE + ", " + ReadPlan.EVENTS
            + "% events by id, " + ReadPlan.ACCOUNTS + "% accounts, "
            + (100 - ReadPlan.PAGES - ReadPlan.EVENTS - ReadPlan.ACCOUNTS) + "% feed list";

    @Override
    public String name() {
        return "api";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        TempDirs.withTempDir("council-bench-api", root -> runIn(root, reporter));
    }

    private void runIn(Path root, BenchReporter reporter) throws Exception {
        long t0 = System.nanoTime();
        Path cache = CACHE.equals("none") ? null : Path.of(CACHE).toAbsolutePath();
        AuditLedger.Obtained ledger = AuditLedger.obtain(reporter, cache, root.resolve("ledger"), EVENTS, AUTHORS);
        List<String> jvm = Arrays.stream(SERVER_JVM.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        Path planFile = root.resolve("plan.txt");
        reporter.progress("starting the API server JVM (%s) over the ledger...", SERVER_JVM);
        LoadClient.Result warm;
        LoadClient.Result measured;
        ProcessStats before;
        ProcessStats after;
        DirectReads.Result direct;
        long events;
        try (ServerProcess server = ServerProcess.start(jvm, ledger.dir(), planFile)) {
            events = server.events();
            if (events < EVENTS) {
                throw new IllegalStateException("the ledger holds " + events + " events, fewer than " + EVENTS);
            }
            ReadPlan plan = ReadPlan.read(planFile);
            reporter.progress("serving %,d events on port %d (pid %d); %d clients, mix: %s", events, server.port(),
                    server.pid(), CLIENTS, MIX);
            try (LoadClient load = new LoadClient(server.port(), plan, CLIENTS)) {
                reporter.progress("warm-up, %.0f s...", WARMUP_SECONDS);
                warm = load.run(WARMUP_SECONDS, 1);
                reporter.progress("  warm-up: %.0f reads/s, %d errors", warm.rate(), warm.errors());
                reporter.progress("measuring, %.0f s...", SECONDS);
                before = server.stats();
                measured = load.run(SECONDS, 2);
                after = server.stats();
            }
            reporter.progress("reference: the same mix on the store from %d threads, no HTTP (%.0f s + %.0f s "
                    + "warm-up)...", CLIENTS, SECONDS, WARMUP_SECONDS / 2);
            direct = server.reference(CLIENTS, WARMUP_SECONDS / 2, SECONDS);
        }
        if (measured.errors() + warm.errors() > 0) {
            reporter.progress("WARNING: %d failed reads (%d in warm-up): %s", measured.errors(), warm.errors(),
                    measured.errorKinds());
        }
        reporter.result("api.audit_read", measured.rate(), "req/s", direct.rate(),
                extra(measured, warm, before, after, events, ledger, direct));
        reporter.progress("api suite took %.0f s", (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Object> extra(LoadClient.Result m, LoadClient.Result warm, ProcessStats before,
                                             ProcessStats after, long events, AuditLedger.Obtained ledger,
                                             DirectReads.Result direct) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("p50_ms", m.percentileMs(50));
        x.put("p99_ms", m.percentileMs(99));
        x.put("max_ms", m.percentileMs(100));
        x.put("rss_mb", after.rssMb());
        x.put("peak_rss_mb", after.peakRssKb() / 1024.0);
        x.put("events", events);
        x.put("authors", AUTHORS);
        x.put("clients", CLIENTS);
        x.put("gzip", LoadClient.GZIP);
        x.put("reads", m.ok());
        x.put("errors", m.errors());
        x.put("warmup_errors", warm.errors());
        if (m.errors() + warm.errors() > 0) {
            x.put("error_kinds", m.errorKinds().toString());
            x.put("valid", false);
        }
        x.put("checked", m.checked());
        x.put("seconds", m.seconds());
        x.put("mix", MIX);
        x.put("avg_response_kb", m.ok() + m.errors() == 0 ? 0 : m.bytes() / 1024.0 / (m.ok() + m.errors()));
        x.put("server_cpu_s", (after.cpuNanos() - before.cpuNanos()) / 1e9);
        // less sensitive than the rate to what else the machine runs (JIT and GC threads included)
        x.put("server_cpu_us_per_read", m.ok() == 0 ? 0 : (after.cpuNanos() - before.cpuNanos()) / 1e3 / m.ok());
        x.put("server_gc", after.gcCount() - before.gcCount());
        x.put("server_gc_ms", after.gcMillis() - before.gcMillis());
        x.put("server_heap_used_mb", after.heapUsedBytes() / 1048576.0);
        x.put("server_heap_committed_mb", after.heapCommittedBytes() / 1048576.0);
        x.put("server_jvm", SERVER_JVM);
        x.put("cores", Runtime.getRuntime().availableProcessors());
        x.put("client", "Vert.x HttpClient in the bench JVM, a separate process; keep-alive, closed loop");
        x.put("ledger", ledger.source());
        if (ledger.buildSeconds() > 0) {
            x.put("ledger_build_s", ledger.buildSeconds());
        }
        x.put("direct_reads", direct.reads());
        x.put("limit_is", "the same mix on RocksLedgerStore from " + CLIENTS + " threads in the serving JVM, "
                + "no HTTP, no JSON");
        return x;
    }
}
