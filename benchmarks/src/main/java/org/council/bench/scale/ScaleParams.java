package org.council.bench.scale;

/**
 * One simulation's settings; {@link #of(int)} gives the suite's, the same at every size.
 *
 * @param nodes            nodes in the network
 * @param durationMs       simulated time
 * @param jobsPerNodeHour  jobs each online node asks of a peer per simulated hour
 * @param sessions         sessions each online node keeps (dialled at random among online nodes)
 * @param maxSessions      sessions a node accepts at most
 * @param latencyMs        one-way delay of every frame
 * @param serviceMs        time a server takes for a job
 * @param offlineShare     share of time a node is offline (churn: leaving and returning)
 * @param meanOnlineMs     mean time online between two departures
 * @param lateJoinShare    share of nodes that join (empty) during the first half of the run
 * @param announcerShare   share of nodes that announce the rare model
 * @param karmaSample      nodes that run the real karma engine on their store and route by it
 * @param probedReceipts   receipts whose convergence is probed (about)
 * @param seed             the simulation's randomness
 */
record ScaleParams(int nodes, long durationMs, double jobsPerNodeHour, int sessions, int maxSessions, long latencyMs,
                   long serviceMs, double offlineShare, long meanOnlineMs, double lateJoinShare, double announcerShare,
                   int karmaSample, int probedReceipts, long seed) {

    static final long MINUTE = 60_000;

    static ScaleParams of(int nodes) {
        return new ScaleParams(nodes, Long.getLong("bench.scale.minutes", 10) * MINUTE,
                Double.parseDouble(System.getProperty("bench.scale.jobsPerHour", "12")), 8, 16, 50, 2_000, 0.10,
                120 * MINUTE, 0.05, 0.01, Math.min(100, nodes / 10), 400, Long.getLong("bench.scale.seed", 42));
    }

    ScaleParams withDuration(long ms) {
        return new ScaleParams(nodes, ms, jobsPerNodeHour, sessions, maxSessions, latencyMs, serviceMs, offlineShare,
                meanOnlineMs, lateJoinShare, announcerShare, karmaSample, probedReceipts, seed);
    }

    long meanOfflineMs() {
        return Math.round(meanOnlineMs * offlineShare / (1 - offlineShare));
    }
}
