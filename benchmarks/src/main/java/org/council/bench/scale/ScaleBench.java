package org.council.bench.scale;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;

/**
 * {@code scripts/bench scale}: the discrete-event simulation of 1,000, 3,000 and 10,000 nodes with
 * replication scope (docs/design.md, "Benchmarks"). One line per size, {@code scale.events_per_node}
 * (median events stored per node); its limit is the same figure at the smallest size, so the ratio
 * is the growth the issue bounds at 1.5 (full replication would grow as the network: 10).
 * {@code -Dbench.scale.sizes=1000,3000,10000}, {@code -Dbench.scale.minutes=60},
 * {@code -Dbench.scale.jobsPerHour=12}.
 */
public final class ScaleBench implements BenchSuite {

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        List<Integer> sizes = java.util.Arrays.stream(System.getProperty("bench.scale.sizes", "1000,3000,10000")
                .split(",")).map(String::trim).map(Integer::parseInt).toList();
        Double baseEvents = null;
        Double baseBytes = null;
        for (int size : sizes) {
            reporter.progress("scale: %d nodes", size);
            ScaleResult r = new ScaleSim(ScaleParams.of(size)).run();
            double events = ((Number) r.fields().get("events_per_node_median")).doubleValue();
            double bytes = ((Number) r.fields().get("bytes_per_node_s")).doubleValue();
            if (baseEvents == null) {
                baseEvents = events;
                baseBytes = bytes;
            }
            Map<String, Object> extra = new LinkedHashMap<>(r.fields());
            extra.put("bytes_ratio", baseBytes == 0 ? null : ScaleResult.round(bytes / baseBytes));
            reporter.result("scale.events_per_node", events, "events", baseEvents, extra);
        }
    }
}
