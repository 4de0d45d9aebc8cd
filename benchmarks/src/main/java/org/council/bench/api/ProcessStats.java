package org.council.bench.api;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process has used so far: resident memory now and at its peak (from
 * {@code /proc/self/status}, so native memory such as RocksDB's caches counts), CPU time, heap,
 * garbage collection and the JIT compilers' time (a measurement during which the JIT still
 * compiles is not of the steady state). Travels between processes as one line of text.
 */
record ProcessStats(long rssKb, long peakRssKb, long cpuNanos, long heapUsedBytes, long heapCommittedBytes,
                    long gcCount, long gcMillis, long jitMillis) {

    static ProcessStats now() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
        } catch (IOException e) {
            // not Linux: memory is reported as unknown (-1) rather than failing the run
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        return new ProcessStats(rss, hwm, cpu, heap.getUsed(), heap.getCommitted(), gcCount, gcMillis, jitMillis);
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    String encode() {
        return rssKb + " " + peakRssKb + " " + cpuNanos + " " + heapUsedBytes + " " + heapCommittedBytes + " "
                + gcCount + " " + gcMillis + " " + jitMillis;
    }

    static ProcessStats decode(String text) {
        String[] f = text.trim().split(" ");
        return new ProcessStats(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                Long.parseLong(f[7]));
    }

    double rssMb() {
        return rssKb / 1024.0;
    }
}
