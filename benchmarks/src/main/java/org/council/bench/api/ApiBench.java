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
 * run straight against the store from as many threads, in the same run, in turns with the HTTP
 * load once both have warmed up ({@link Measurement}): the ratio is what HTTP and JSON leave of
 * the store's read rate.
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
    /** At most this much warm-up beyond {@code bench.api.warmup} while the JIT still compiles. */
    private static final double SETTLE_MAX_SECONDS = Double.parseDouble(System.getProperty("bench.api.settleMax", "60"));
    /** Turns of HTTP and reference slices that the measured seconds of each are split into ({@link Measurement}). */
    private static final int ROUNDS = Integer.getInteger("bench.api.rounds", 4);
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
        Measurement.Totals t;
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
                t = new Measurement(server, load, reporter, CLIENTS).run(WARMUP_SECONDS, SETTLE_MAX_SECONDS, SECONDS,
                        ROUNDS);
            }
        }
        LoadClient.Result m = t.http();
        if (m.errors() + t.warm().errors() > 0) {
            reporter.progress("WARNING: %d failed reads (%d in warm-up): %s", m.errors(), t.warm().errors(),
                    m.errorKinds());
        }
        reporter.result("api.audit_read", m.rate(), "req/s", t.direct().rate(), extra(t, events, ledger));
        reporter.progress("api suite took %.0f s", (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Object> extra(Measurement.Totals t, long events, AuditLedger.Obtained ledger) {
        LoadClient.Result m = t.http();
        ProcessStats after = t.serverAfter();
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("p50_ms", m.percentileMs(50));
        x.put("p99_ms", m.percentileMs(99));
        x.put("max_ms", m.percentileMs(100));
        // after the HTTP warm-up, before the reference first ran in the same JVM (Measurement)
        x.put("rss_mb", t.serverServedOnly().rssMb());
        x.put("peak_rss_mb", t.serverServedOnly().peakRssKb() / 1024.0);
        x.put("events", events);
        x.put("authors", AUTHORS);
        x.put("clients", CLIENTS);
        x.put("gzip", LoadClient.GZIP);
        x.put("reads", m.ok());
        x.put("errors", m.errors());
        x.put("warmup_errors", t.warm().errors());
        if (m.errors() + t.warm().errors() > 0) {
            x.put("error_kinds", m.errorKinds().toString());
            x.put("valid", false);
        }
        x.put("checked", m.checked());
        x.put("seconds", m.seconds());
        x.put("rounds", ROUNDS);
        x.put("warmup_s", t.httpWarmupSeconds());
        x.put("reference_warmup_s", t.directWarmupSeconds());
        x.put("mix", MIX);
        x.put("avg_response_kb", m.ok() + m.errors() == 0 ? 0 : m.bytes() / 1024.0 / (m.ok() + m.errors()));
        x.put("server_cpu_s", t.serverCpuNanos() / 1e9);
        // less sensitive than the rate to what else the machine runs (JIT and GC threads included)
        x.put("server_cpu_us_per_read", m.ok() == 0 ? 0 : t.serverCpuNanos() / 1e3 / m.ok());
        x.put("server_jit_ms", t.serverJitMillis());
        // the load's own CPU: it shares the cores with the server, the reference has none
        x.put("client_cpu_us_per_read", m.ok() == 0 ? 0 : t.clientCpuNanos() / 1e3 / m.ok());
        x.put("server_gc", t.serverGcCount());
        x.put("server_gc_ms", t.serverGcMillis());
        x.put("server_heap_used_mb", after.heapUsedBytes() / 1048576.0);
        x.put("server_heap_committed_mb", after.heapCommittedBytes() / 1048576.0);
        x.put("server_jvm", SERVER_JVM);
        x.put("cores", Runtime.getRuntime().availableProcessors());
        x.put("client", "Vert.x HttpClient in the bench JVM, a separate process; keep-alive, closed loop");
        x.put("ledger", ledger.source());
        if (ledger.buildSeconds() > 0) {
            x.put("ledger_build_s", ledger.buildSeconds());
        }
        x.put("direct_reads", t.direct().reads());
        x.put("limit_is", "the same mix on RocksLedgerStore from " + CLIENTS + " threads in the serving JVM, "
                + "no HTTP, no JSON, in turns with the HTTP slices");
        return x;
    }
}
