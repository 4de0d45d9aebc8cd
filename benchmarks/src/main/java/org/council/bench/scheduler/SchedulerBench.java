package org.council.bench.scheduler;

import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;

/** Scheduler benchmarks: placeholder until the inference bridge's scheduler lands. */
public final class SchedulerBench implements BenchSuite {

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public void run(BenchReporter reporter) {
        reporter.progress("scheduler suite not implemented yet");
    }
}
