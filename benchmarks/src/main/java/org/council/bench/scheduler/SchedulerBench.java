package org.council.bench.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bridge.RequesterId;
import org.council.bridge.scheduler.FairQueue;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.scheduler.SchedulerSimulation;
import org.council.bridge.scheduler.SchedulerSimulation.Klass;
import org.council.bridge.scheduler.SchedulerSimulation.Outcome;
import org.council.bridge.scheduler.Ticket;
import org.council.bridge.scheduler.VirtualClock;

/**
 * Scheduler benchmarks: {@code scheduler.overhead}, the cost of one offer plus one poll with
 * 10,000 requests waiting, and {@code scheduler.fairness}, the 5x-overload virtual-clock scenario
 * the bridge's tests assert on, refused requests retried by their clients until served (value:
 * unknown-class median wait over high-karma median wait, waits counted from first submission).
 */
public final class SchedulerBench implements BenchSuite {

    private static final int WAITING = 10_000;
    private static final int REQUESTERS = 1_000;
    private static final List<String> LANE = List.of("model");

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public void run(BenchReporter reporter) {
        overhead(reporter);
        fairness(reporter);
    }

    private static void overhead(BenchReporter reporter) {
        VirtualClock clock = new VirtualClock();
        SchedulerConfig config = SchedulerConfig.defaults().withBounds(WAITING + 1, WAITING + 1);
        FairQueue<Integer> queue = new FairQueue<>(config, r -> (r.hashCode() & 0xff) / 32.0, clock);
        RequesterId[] ids = new RequesterId[REQUESTERS];
        for (int i = 0; i < REQUESTERS; i++) {
            ids[i] = RequesterId.of(String.format("%064x", i));
        }
        for (int i = 0; i < WAITING; i++) {
            queue.offer(ids[i % REQUESTERS], "model", 1, i);
        }
        long sink = 0;
        int rounds = 200_000;
        for (int pass = 0; pass < 2; pass++) { // first pass warms up the JIT
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                clock.advanceNanos(1_000);
                queue.offer(ids[(i * 7) % REQUESTERS], "model", 1 + (i & 3), i);
                Ticket<Integer> t = queue.poll(LANE);
                sink += t.payload();
            }
            long elapsed = System.nanoTime() - start;
            if (pass == 1) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("waiting", queue.size());
                extra.put("requesters", REQUESTERS);
                extra.put("operations", rounds);
                extra.put("checksum", sink);
                reporter.result("scheduler.overhead", elapsed / 1e3 / rounds, "us/request", null, extra);
            }
        }
    }

    private static void fairness(BenchReporter reporter) {
        SchedulerSimulation.Scenario scenario = SchedulerSimulation.Scenario.standard();
        Outcome o = SchedulerSimulation.run(scenario);
        reporter.progress("%s", SchedulerSimulation.describe(o));
        double high = o.of(Klass.HIGH).p50Wait();
        double unknown = o.of(Klass.UNKNOWN).p50Wait();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("p50_wait_high", high);
        extra.put("p50_wait_low", o.of(Klass.LOW).p50Wait());
        extra.put("p50_wait_unknown", unknown);
        extra.put("p99_wait_unknown", o.of(Klass.UNKNOWN).p99Wait());
        extra.put("max_wait_unknown", o.of(Klass.UNKNOWN).maxWait());
        extra.put("starved", o.starved());
        extra.put("retries", o.retries());
        extra.put("offered", o.of(Klass.HIGH).offered() + o.of(Klass.LOW).offered() + o.of(Klass.UNKNOWN).offered());
        extra.put("served", o.of(Klass.HIGH).served() + o.of(Klass.LOW).served() + o.of(Klass.UNKNOWN).served());
        extra.put("max_queue_wait", o.maxQueueWaitSeconds());
        extra.put("wait_bound", o.waitBoundSeconds());
        extra.put("drained_at", o.endSeconds());
        extra.put("overload", scenario.overload());
        extra.put("wait_unit", "s");
        extra.put("required_ratio", 5.0);
        reporter.result("scheduler.fairness", high > 0 ? unknown / high : Double.NaN, "x (p50 unknown / p50 high)",
                null, extra);
    }
}
