package org.council.bench.scale;

import java.util.PriorityQueue;

/**
 * Simulated time: a queue of tasks ordered by (time, order of scheduling), run one at a time on
 * one thread. Nothing happens between tasks, so a simulated hour costs only the work its tasks do.
 * Not thread-safe: everything runs on the thread that calls {@link #runUntil}.
 */
final class SimLoop {

    private record Task(long atMs, long order, Runnable run) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Long.compare(atMs, o.atMs);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nowMs;
    private long order;
    private long executed;

    long nowMs() {
        return nowMs;
    }

    long executed() {
        return executed;
    }

    /** Runs {@code task} at {@code atMs} (now when earlier), after everything already due then. */
    void at(long atMs, Runnable task) {
        queue.add(new Task(Math.max(atMs, nowMs), order++, task));
    }

    void after(long delayMs, Runnable task) {
        at(nowMs + delayMs, task);
    }

    /** Runs due tasks in order until the queue is empty or the next task lies after {@code untilMs}. */
    void runUntil(long untilMs) {
        while (!queue.isEmpty() && queue.peek().atMs <= untilMs) {
            Task t = queue.poll();
            nowMs = t.atMs;
            executed++;
            t.run.run();
        }
        nowMs = Math.max(nowMs, untilMs);
    }
}
