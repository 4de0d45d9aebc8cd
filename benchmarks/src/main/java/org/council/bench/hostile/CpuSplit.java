package org.council.bench.hostile;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * CPU time spent by the attackers (their threads and their Vert.x event loops, where their TLS
 * client handshakes run) against everything else in this JVM (the serving and pulling nodes),
 * (the rest of the process) between two snapshots. The attackers share the machine with the node they attack: this tells
 * how much of the slow-down is their own CPU rather than the node's defence.
 */
final class CpuSplit {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Every thread an attacker's connection ran on (its handlers say so: {@link #attackerThread()}). */
    private static final Set<Long> attackerLoops = ConcurrentHashMap.newKeySet();
    private Map<Long, Long> start = Map.of();
    private Map<Long, Long> marked = Map.of();
    private final Map<Long, String> names = new HashMap<>();
    private long processStart;
    private long gcStart;
    private long jitStart;
    private Map<String, Long> nativeStart = Map.of();

    /** Remembers the event-loop threads of {@code attackers}: each new context takes the next loop. */
    CpuSplit(Vertx attackers, int loops) throws InterruptedException {
        CountDownLatch seen = new CountDownLatch(loops * 2);
        for (int i = 0; i < loops * 2; i++) {
            attackers.getOrCreateContext().runOnContext(v -> {
                attackerLoops.add(Thread.currentThread().getId());
                seen.countDown();
            });
        }
        seen.await(10, TimeUnit.SECONDS);
    }

    /** The calling thread runs an attacker's connection. */
    static void attackerThread() {
        attackerLoops.add(Thread.currentThread().getId());
    }

    void start() {
        start = snapshot();
        marked = Map.of();
        processStart = processCpu();
        gcStart = gcMillis();
        jitStart = jitMillis();
        nativeStart = nativeTicks();
    }

    /**
     * Snapshots every live thread, before the pulling node stops (its threads' CPU is gone with
     * them): {@link #byThread()} breaks the interval down from it.
     */
    void mark() {
        marked = snapshot();
        for (long id : marked.keySet()) {
            names.put(id, threadName(id));
        }
    }

    /**
     * CPU seconds from {@link #start()} to {@link #mark()} by owner and role: {@code attacker},
     * {@code source} (threads that ran at start) or {@code sink} (threads born since: the pulling
     * node), and the thread's name without its number. Which node spent the extra CPU under attack,
     * on which threads (event loop, verifiers, writer, workers).
     */
    Map<String, Double> byThread() {
        Map<String, Double> by = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> e : marked.entrySet()) {
            String name = names.getOrDefault(e.getKey(), "");
            String owner = attackerLoops.contains(e.getKey()) || name.startsWith("attacker-") ? "attacker"
                    : start.containsKey(e.getKey()) ? "source" : "sink";
            double s = (e.getValue() - start.getOrDefault(e.getKey(), 0L)) / 1e9;
            by.merge(owner + ":" + name.replaceAll("[0-9]+$", "#"), s, Double::sum);
        }
        by.replaceAll((k, v) -> round(v));
        by.values().removeIf(v -> v < 0.05);
        return by;
    }

    /**
     * {attackers, rest} CPU seconds since {@link #start()}; and, in the rest, the seconds the
     * collectors reported ({@code gc}, wall time of pauses) and the JIT compilers ({@code jit}):
     * neither runs on a thread {@link #byThread()} sees.
     */
    Map<String, Double> since() {
        double attackers = 0;
        for (Map.Entry<Long, Long> e : snapshot().entrySet()) {
            if (attackerLoops.contains(e.getKey()) || threadName(e.getKey()).startsWith("attacker-")) {
                attackers += (e.getValue() - start.getOrDefault(e.getKey(), 0L)) / 1e9;
            }
        }
        // the rest from the process total: the pulling node's threads are gone by now
        double rest = (processCpu() - processStart) / 1e9 - attackers;
        Map<String, Double> split = new java.util.TreeMap<>(Map.of("attackers", round(attackers), "nodes", round(rest),
                "gc", round((gcMillis() - gcStart) / 1e3), "jit", round((jitMillis() - jitStart) / 1e3)));
        nativeTicks().forEach((k, t) -> split.put(k + "_cpu", round((t - nativeStart.getOrDefault(k, 0L)) / 100.0)));
        return split;
    }

    private static double round(double s) {
        return Math.round(s * 100) / 100.0;
    }

    private static String threadName(long id) {
        var info = THREADS.getThreadInfo(id);
        return info == null ? "" : info.getThreadName();
    }

    /**
     * CPU clock ticks (1/100 s) of the JVM's own threads that {@link ThreadMXBean} does not list,
     * from /proc (Linux; none elsewhere): JIT compilers, GC and VM threads, RocksDB's background
     * threads. Threads that ended since are missing, as in {@link #byThread()}.
     */
    private static Map<String, Long> nativeTicks() {
        Map<String, Long> ticks = new HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
            try {
                String comm = java.nio.file.Files.readString(task.toPath().resolve("comm")).strip();
                String kind = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? "jit"
                        : comm.startsWith("GC Thread") || comm.equals("VM Thread") ? "gc_vm"
                        : comm.startsWith("rocksdb") ? "rocksdb" : null;
                if (kind != null) {
                    String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum); // utime, stime
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // the thread ended between the listing and the read
            }
        }
        return ticks;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }
}
