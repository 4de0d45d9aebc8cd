package org.council.bench.replication;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds per OS thread group from {@code /proc/self/task/*\/stat}: unlike ThreadMXBean it
 * sees the JVM's own threads (GC, JIT compilers) and RocksDB's native flush and compaction
 * threads, which are a good part of a pull's CPU besides verification. Threads that ended between
 * two snapshots are lost; on a system without /proc the map is empty.
 */
final class TaskCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux we run on

    private TaskCpu() {
    }

    /** utime + stime by thread name (the kernel's 15-character comm), trailing numbers dropped. */
    static Map<String, Double> snapshot() {
        return snapshot(true);
    }

    /** stime alone (the kernel's share: syncs, socket and page-cache work), by thread name. */
    static Map<String, Double> systemSnapshot() {
        return snapshot(false);
    }

    private static Map<String, Double> snapshot(boolean withUser) {
        Map<String, Double> out = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended while we listed
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close).replaceAll("[-#:]?\\d+$", "");
                String[] fields = stat.substring(close + 2).split(" ");
                // after the comm: state is field 3, utime field 14, stime field 15
                double ticks = (withUser ? Long.parseLong(fields[11]) : 0) + Long.parseLong(fields[12]);
                out.merge(name, ticks / TICKS_PER_SECOND, Double::sum);
            }
        } catch (IOException | RuntimeException e) {
            return new TreeMap<>();
        }
        return out;
    }

    /** What each group used between two snapshots, rounded, groups under 0.05 s left out. */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new TreeMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d > 0.05) {
                used.put(k, Math.round(d * 100) / 100.0);
            }
        });
        return used;
    }
}
