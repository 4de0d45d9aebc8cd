package org.council.bench.inference;

import java.lang.management.ManagementFactory;

/** This process's CPU time so far, all threads, in nanoseconds. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
