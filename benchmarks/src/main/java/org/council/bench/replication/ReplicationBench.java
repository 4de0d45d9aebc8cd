package org.council.bench.replication;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;
import org.council.bench.ledger.EventFactory;
import org.council.bench.ledger.RawCrypto;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.peer.PeerConfig;

/**
 * {@code replication.pull}: a fresh node pulls 100k events (several authors, with receipts) from
 * another over the real TLS transport on loopback, verifying and persisting every one; compared
 * with the raw Ed25519 verify rate on all cores measured in the same run. Unmeasured warm-up pulls
 * come first, until the JIT compilers used less than 5% of a pull's CPU (at most
 * {@code bench.replication.warmups}, 4): after one warm-up pull the measured pull still spent
 * about 8% of its CPU compiling.
 */
public final class ReplicationBench implements BenchSuite {

    private static final int EVENTS = Integer.getInteger("bench.replication.events", 100_000);
    private static final int AUTHORS = 10;
    private static final int WARMUPS = Math.max(1, Integer.getInteger("bench.replication.warmups", 4));
    /** The JIT is quiet when its compilers use less than this share of a pull's CPU. */
    private static final double JIT_QUIET = 0.05;

    @Override
    public String name() {
        return "replication";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        TempDirs.withTempDir("council-bench-replication", root -> runIn(root, reporter));
    }

    private void runIn(Path root, BenchReporter reporter) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        reporter.progress("generating %d signed events from %d authors...", EVENTS, AUTHORS);
        List<List<SignedEvent>> feeds = EventFactory.receiptFeeds(AUTHORS, EVENTS);
        List<SignedEvent> all = feeds.stream().flatMap(List::stream).toList();
        reporter.progress("raw Ed25519 verify rate (%d threads)...", cores);
        double verifyRate = RawCrypto.verifyRate(all, cores, 3);

        reporter.progress("filling the source node...");
        Node source = Node.start(NodeConfig.local(root.resolve("source")));
        try {
            List<CompletableFuture<List<IngestOutcome>>> pending = new ArrayList<>();
            for (List<SignedEvent> feed : feeds) {
                for (int from = 0; from < feed.size(); from += 512) {
                    pending.add(source.store().ingest(feed.subList(from, Math.min(feed.size(), from + 512)).stream()
                            .map(SignedEvent::envelopeUnsafe).toList()));
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            long held = source.store().eventCount(); // the generated feeds plus the source's own announcement
            if (held < all.size()) {
                throw new IllegalStateException("source holds only " + held + " of " + all.size() + " events");
            }
            for (int i = 1; i <= WARMUPS; i++) {
                Pull warm = pull(root.resolve("warmup-" + i), source, held);
                double jit = compileSeconds(warm) / warm.cpuSeconds();
                reporter.progress("warm-up pull %d (not measured): %.1f s, the JIT compiled for %.0f%% of its CPU", i,
                        warm.seconds(), 100 * jit);
                if (jit < JIT_QUIET) {
                    break;
                }
            }
            reporter.progress("fresh node pulling %d events over TLS...", all.size());
            Pull measured = pull(root.resolve("sink"), source, held);
            reporter.result("replication.pull", all.size() / measured.seconds(), "events/s", verifyRate,
                    Map.ofEntries(Map.entry("events", all.size()), Map.entry("authors", AUTHORS),
                            Map.entry("seconds", measured.seconds()), Map.entry("start_seconds", measured.startSeconds()),
                            Map.entry("first_event_seconds", measured.firstEventSeconds()),
                            Map.entry("transport", "TLS 1.3 loopback"), Map.entry("cpu_seconds", measured.cpuSeconds()),
                            Map.entry("cpu_by_thread", measured.threadCpu().toString()),
                            Map.entry("cpu_by_task", measured.taskCpu().toString()),
                            Map.entry("sys_cpu_by_task", measured.taskSys().toString()),
                            Map.entry("limit_is", "raw BouncyCastle Ed25519 verifies/s on " + cores + " threads")));
        } finally {
            source.stop();
        }
    }

    private record Pull(double seconds, double startSeconds, double firstEventSeconds, double cpuSeconds,
                        Map<String, Double> threadCpu, Map<String, Double> taskCpu,
                        Map<String, Double> taskSys) {
    }

    /** CPU seconds the JIT compiler threads used during {@code p}. */
    private static double compileSeconds(Pull p) {
        return p.taskCpu().entrySet().stream().filter(e -> e.getKey().contains("Compiler"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** CPU seconds per thread group (Java threads only; the rest is GC, JIT and RocksDB's native threads). */
    private static Map<String, Double> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Double> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            String group = t.getThreadName().replaceAll("-?\\d+$", "");
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            if (cpu > 0) {
                out.merge(group, cpu / 1e9, Double::sum);
            }
        }
        return out;
    }

    /** Starts a fresh node seeded with {@code source}; the clock runs from its start to its last event. */
    private static Pull pull(Path dir, Node source, long events) throws InterruptedException {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        Map<String, Double> threads0 = threadCpu();
        Map<String, Double> tasks0 = TaskCpu.snapshot();
        Map<String, Double> sys0 = TaskCpu.systemSnapshot();
        Node sink = Node.start(NodeConfig.local(dir)
                .withPeers(PeerConfig.localDefaults().withSeeds(List.of(source.id().hex() + "@" + source.address()))));
        long started = System.nanoTime();
        long first = 0;
        try {
            // everything the source holds, plus the sink's own capabilities announcement
            long got;
            while ((got = sink.store().eventCount() - ownEvents(sink)) < events) {
                if (first == 0 && got > 0) {
                    first = System.nanoTime();
                }
                Thread.sleep(2);
                if (System.nanoTime() - t0 > 600_000_000_000L) {
                    throw new IllegalStateException("pull did not finish in 10 minutes: " + sink.store().eventCount());
                }
            }
            Map<String, Double> used = TaskCpu.delta(threads0, threadCpu());
            Map<String, Double> tasks = TaskCpu.delta(tasks0, TaskCpu.snapshot());
            Map<String, Double> sys = TaskCpu.delta(sys0, TaskCpu.systemSnapshot());
            long end = System.nanoTime();
            return new Pull((end - t0) / 1e9, (started - t0) / 1e9, ((first == 0 ? end : first) - t0) / 1e9,
                    (processCpuNanos() - cpu0) / 1e9, used, tasks, sys);
        } finally {
            sink.stop();
        }
    }

    private static long ownEvents(Node node) {
        return node.store().head(node.id()).map(h -> h.seq()).orElse(0L);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
