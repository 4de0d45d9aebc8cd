package org.council.bench.inference;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a node process has used so far: CPU time, bytes allocated by its live threads, time its
 * JIT compilers spent compiling, and CPU time per live thread (named {@code name#id}, since two
 * nodes in one JVM name their threads alike). Travels from the node process to the driver as one
 * line of text.
 */
record NodeSample(long cpuNanos, long allocatedBytes, long jitMillis, Map<String, Long> threadCpuNanos) {

    static NodeSample now() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Long> perThread = new LinkedHashMap<>();
        long allocated = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long id = t.getId();
            long cpu = threads.getThreadCpuTime(id);
            long bytes = threads.getThreadAllocatedBytes(id);
            if (cpu > 0) {
                perThread.put(t.getName().replaceAll("[\\s=;]", "_") + "#" + id, cpu);
            }
            allocated += Math.max(0, bytes);
        }
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        return new NodeSample(ProcessCpu.nanos(), allocated, jit, perThread);
    }

    String encode() {
        return cpuNanos + " " + allocatedBytes + " " + jitMillis + " " + threadCpuNanos.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    static NodeSample decode(String line) {
        String[] f = line.trim().split(" ", 4);
        Map<String, Long> perThread = new LinkedHashMap<>();
        if (f.length > 3 && !f[3].isBlank()) {
            for (String kv : f[3].split(";")) {
                int eq = kv.lastIndexOf('=');
                perThread.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
        }
        return new NodeSample(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), perThread);
    }

    /** The threads that used the most CPU between {@code before} and this sample, as "name 61%, ...". */
    String busiestSince(NodeSample before, int top) {
        long total = Math.max(1, cpuNanos - before.cpuNanos);
        return threadCpuNanos.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.threadCpuNanos.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / total) + "%")
                .collect(Collectors.joining(", "));
    }
}
