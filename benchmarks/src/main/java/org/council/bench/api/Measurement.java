package org.council.bench.api;

import org.council.bench.BenchReporter;

/**
 * How {@code api.audit_read} measures, once the server is up: both sides are warmed until their
 * JIT has settled, then HTTP slices and reference slices are taken in turns and added up.
 *
 * <p>Why so: the two figures of the ratio were measured one after the other, 20 s each, on a
 * machine that other work shares. A burst of that work during one phase and not the other moved
 * the ratio by itself (from one run to the next the reference ranged 8k-19k reads/s). Taken in
 * turns, both see the same mix of conditions. And the JIT was still compiling during the HTTP
 * phase after a fixed 10 s warm-up on a loaded machine (7-11 s of compiler time in the 20 s
 * measured), which the server's CPU per read counted and the read rate paid for: a node that has
 * served for a while has long finished compiling, so the warm-up now lasts until it has.
 *
 * <p>Not thread-safe; one per run.
 */
final class Measurement {

    /** Length of a warm-up slice once the fixed warm-up is over. */
    static final double SLICE_SECONDS = 5;
    /** The warm-up ends at the first slice in which the JITs (server's and client's) worked less than this share of it. */
    static final double JIT_QUIET = 0.05;

    /** What the measured slices add up to. */
    record Totals(LoadClient.Result warm, LoadClient.Result http, DirectReads.Result direct, long serverCpuNanos, long clientCpuNanos,
                  long serverGcCount, long serverGcMillis, long serverJitMillis, ProcessStats serverAfter,
                  ProcessStats serverServedOnly, double httpWarmupSeconds, double directWarmupSeconds) {
    }

    private final ServerProcess server;
    private final LoadClient load;
    private final BenchReporter reporter;
    private final int clients;
    private long seed = 100;

    Measurement(ServerProcess server, LoadClient load, BenchReporter reporter, int clients) {
        this.server = server;
        this.load = load;
        this.reporter = reporter;
        this.clients = clients;
    }

    /**
     * Warms HTTP for {@code warmupSeconds}, then on until its JIT settles (at most
     * {@code settleMaxSeconds} more), the reference likewise from half of that; then measures
     * {@code rounds} turns of {@code seconds / rounds} of each.
     */
    Totals run(double warmupSeconds, double settleMaxSeconds, double seconds, int rounds) throws Exception {
        reporter.progress("warm-up, %.0f s and until the JIT has settled (at most %.0f s more)...", warmupSeconds,
                settleMaxSeconds);
        long t0 = System.nanoTime();
        LoadClient.Result warm = load.run(warmupSeconds, 1);
        settle("HTTP", () -> load.run(SLICE_SECONDS, seed++), settleMaxSeconds);
        double httpWarm = (System.nanoTime() - t0) / 1e9;
        // memory before the reference has run in the server's JVM: its 32 threads leave malloc
        // arenas and thread-local state behind that the API does not use (RSS read after them was
        // 344-353 MB where it had been 327-329 MB)
        ProcessStats servedOnly = server.stats();
        reporter.progress("  warm-up: %.0f s, %.0f reads/s at first, %d errors", httpWarm, warm.rate(), warm.errors());
        t0 = System.nanoTime();
        server.reference(clients, warmupSeconds / 2, seed++);
        settle("reference", () -> server.reference(clients, SLICE_SECONDS, seed++), settleMaxSeconds);
        double directWarm = (System.nanoTime() - t0) / 1e9;
        reporter.progress("measuring, %d turns of %.1f s over HTTP then %.1f s on the store from %d threads...",
                rounds, seconds / rounds, seconds / rounds, clients);
        LoadClient.Result http = LoadClient.Result.NONE;
        DirectReads.Result direct = DirectReads.Result.NONE;
        long serverCpu = 0;
        long clientCpu = 0;
        long gcCount = 0;
        long gcMillis = 0;
        long jitMillis = 0;
        ProcessStats after = null;
        for (int r = 0; r < rounds; r++) {
            ProcessStats before = server.stats();
            ProcessStats clientBefore = ProcessStats.now();
            http = http.plus(load.run(seconds / rounds, 2 + r));
            ProcessStats clientAfter = ProcessStats.now();
            after = server.stats();
            serverCpu += after.cpuNanos() - before.cpuNanos();
            clientCpu += clientAfter.cpuNanos() - clientBefore.cpuNanos();
            gcCount += after.gcCount() - before.gcCount();
            gcMillis += after.gcMillis() - before.gcMillis();
            jitMillis += after.jitMillis() - before.jitMillis();
            direct = direct.plus(server.reference(clients, seconds / rounds, 2 + r));
        }
        return new Totals(warm, http, direct, serverCpu, clientCpu, gcCount, gcMillis, jitMillis, after, servedOnly,
                httpWarm, directWarm);
    }

    private interface Slice {
        void run() throws Exception;
    }

    private void settle(String what, Slice slice, double maxSeconds) throws Exception {
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0) / 1e9 < maxSeconds) {
            long jit0 = jitMillis();
            long s0 = System.nanoTime();
            slice.run();
            double tookMs = (System.nanoTime() - s0) / 1e6;
            long jit = jitMillis() - jit0;
            if (jit < JIT_QUIET * tookMs) {
                return;
            }
            reporter.progress("  %s: the JIT compiled for %d ms of %.1f s; warming on", what, jit, tookMs / 1e3);
        }
    }

    private long jitMillis() throws Exception {
        return server.stats().jitMillis() + ProcessStats.now().jitMillis();
    }
}
