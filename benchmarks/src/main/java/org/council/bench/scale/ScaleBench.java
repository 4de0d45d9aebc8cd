package org.council.bench.scale;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;

/**
 * {@code scripts/bench scale}: the discrete-event simulation of 1,000, 3,000 and 10,000 nodes with
 * replication scope (docs/design.md, "Benchmarks"). One line per size, {@code scale.events_per_node}
 * (median events stored per node); its limit is the same figure at the smallest size, so the ratio
 * is the growth the issue bounds at 1.5 (full replication would grow as the network: 10), and
 * {@code bytes_ratio} and {@code replication_bytes_ratio} are the same for bytes sent per node per
 * second, all frames and replication's alone (the gossip's grow with the log of the 1% of nodes
 * announcing, past the 8 servers a node's directory keeps of a model). Each simulation is
 * single-threaded; the sizes run one after the other, or on {@code bench.scale.threads} threads
 * (2: the largest beside the others, which needs room for both in the heap). Settings: {@code -Dbench.scale.sizes=1000,3000,10000},
 * {@code -Dbench.scale.minutes=10}, {@code -Dbench.scale.jobsPerHour=12}, {@code -Dbench.scale.threads=1}.
 */
public final class ScaleBench implements BenchSuite {

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        List<Integer> sizes = java.util.Arrays.stream(System.getProperty("bench.scale.sizes", "1000,3000,10000")
                .split(",")).map(String::trim).map(Integer::parseInt).sorted().toList();
        int threads = Integer.getInteger("bench.scale.threads", 1);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Integer, Future<ScaleResult>> runs = new LinkedHashMap<>();
        try {
            // with threads, largest first: it takes longest, the smaller ones fill another thread meanwhile
            List<Integer> order = new ArrayList<>(sizes);
            if (threads > 1) {
                order.sort(Comparator.reverseOrder());
            }
            for (int size : order) {
                runs.put(size, pool.submit(() -> {
                    reporter.progress("scale: %d nodes started", size);
                    ScaleResult r = new ScaleSim(ScaleParams.of(size)).run();
                    reporter.progress("scale: %d nodes done in %.0f s", size, r.fields().get("wall_s"));
                    return r;
                }));
            }
            Double baseEvents = null;
            Double baseBytes = null;
            Double baseReplication = null;
            for (int size : sizes) {
                ScaleResult r = runs.get(size).get();
                double events = ((Number) r.fields().get("events_per_node_median")).doubleValue();
                double bytes = ((Number) r.fields().get("bytes_per_node_s")).doubleValue();
                double replication = ((Number) r.fields().get("replication_bytes_per_node_s")).doubleValue();
                if (baseEvents == null) {
                    baseEvents = events;
                    baseBytes = bytes;
                    baseReplication = replication;
                }
                Map<String, Object> extra = new LinkedHashMap<>(r.fields());
                extra.put("bytes_ratio", baseBytes == 0 ? null : ScaleResult.round(bytes / baseBytes));
                extra.put("replication_bytes_ratio", baseReplication == 0 ? null
                        : ScaleResult.round(replication / baseReplication));
                extra.put("suite_wall_s", ScaleResult.round((System.nanoTime() - started) / 1e9));
                reporter.result("scale.events_per_node", events, "events", baseEvents, extra);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
