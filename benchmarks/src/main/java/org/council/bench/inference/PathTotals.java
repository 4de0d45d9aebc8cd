package org.council.bench.inference;

/**
 * One path's figures summed over the slices it was measured in (the paths take turns, so that
 * load that changes during a run falls on all of them). Not thread-safe.
 */
final class PathTotals {

    final Samples ttft = new Samples();
    final Samples addedGap = new Samples();
    final Samples delay = new Samples();
    private long tokens;
    private double seconds;
    private long answers;
    private long errors;
    private long nodeCpuNanos;
    private long nodeAllocatedBytes;
    private long driverCpuNanos;
    private boolean node;
    private String firstError;
    private String busiestThreads = "";

    void add(StreamClient.Result r) {
        tokens += r.tokens();
        seconds += r.seconds();
        answers += r.answers();
        errors += r.errors();
        driverCpuNanos += r.driverCpuNanos();
        ttft.addAll(r.ttft());
        addedGap.addAll(r.addedGap());
        delay.addAll(r.delay());
        if (firstError == null) {
            firstError = r.firstError();
        }
        if (r.nodeAfter() != null) {
            node = true;
            nodeCpuNanos += r.nodeAfter().cpuNanos() - r.nodeBefore().cpuNanos();
            nodeAllocatedBytes += r.nodeAfter().allocatedBytes() - r.nodeBefore().allocatedBytes();
            busiestThreads = r.nodeAfter().busiestSince(r.nodeBefore(), 4);
        }
    }

    double tokensPerSecond() {
        return seconds == 0 ? Double.NaN : tokens / seconds;
    }

    long answers() {
        return answers;
    }

    long errors() {
        return errors;
    }

    String firstError() {
        return firstError;
    }

    /** The busiest node threads of the last slice, as "name 61%, ...". */
    String busiestThreads() {
        return busiestThreads;
    }

    /** Node CPU microseconds per token delivered in the windows (both nodes for one hop); NaN without a node. */
    double nodeCpuPerToken() {
        return !node || tokens == 0 ? Double.NaN : nodeCpuNanos / 1e3 / tokens;
    }

    /** Bytes the node's threads allocated per token delivered in the windows; NaN without a node. */
    double nodeBytesPerToken() {
        return !node || tokens == 0 ? Double.NaN : (double) nodeAllocatedBytes / tokens;
    }

    /** What the fake backend and the clients used per token, in microseconds. */
    double driverCpuPerToken() {
        return tokens == 0 ? Double.NaN : driverCpuNanos / 1e3 / tokens;
    }
}
