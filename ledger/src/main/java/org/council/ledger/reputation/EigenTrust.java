package org.council.ledger.reputation;

/**
 * Power iteration for EigenTrust with pre-trusted peers: {@code t = (1−a)·Cᵀ·t + a·p}, where a row
 * of {@code C} that sums to less than 1 (a dangling node, a rater with little evidence, an
 * equivocator) sends the missing mass back to {@code p}. Total mass stays 1.
 *
 * <p>Stateless and thread-safe.
 */
final class EigenTrust {

    /** The fixpoint and how many iterations reached it. */
    record Result(double[] trust, int iterations, double residual) {
    }

    private EigenTrust() {
    }

    /**
     * Iterates from {@code start} (a warm start: the previous vector mapped onto this view; any
     * non-negative vector, renormalised here, or {@code p} when it is all zero) until the L1
     * change is below {@code epsilon} or {@code maxIterations} ran.
     */
    static Result solve(GraphView g, double alpha, double[] start, double epsilon, int maxIterations) {
        int n = g.size();
        double[] t = normalised(start, g.p);
        double[] next = new double[n];
        double residual = Double.POSITIVE_INFINITY;
        int iterations = 0;
        while (iterations < maxIterations && residual >= epsilon) {
            java.util.Arrays.fill(next, 0);
            double returned = alpha;
            for (int i = 0; i < n; i++) {
                double out = (1 - alpha) * t[i];
                if (out == 0) {
                    continue;
                }
                int[] targets = g.targets[i];
                double[] c = g.c[i];
                double passed = 0;
                for (int k = 0; k < targets.length; k++) {
                    next[targets[k]] += out * c[k];
                    passed += c[k];
                }
                returned += out * Math.max(0, 1 - passed);
            }
            residual = 0;
            double total = 0;
            for (int j = 0; j < n; j++) {
                next[j] += returned * g.p[j];
                total += next[j];
            }
            for (int j = 0; j < n; j++) {
                next[j] /= total; // guards against rounding drift only: total is 1 up to rounding
                residual += Math.abs(next[j] - t[j]);
            }
            double[] swap = t;
            t = next;
            next = swap;
            iterations++;
        }
        return new Result(t, iterations, residual);
    }

    private static double[] normalised(double[] start, double[] p) {
        double sum = 0;
        for (double v : start) {
            sum += Math.max(0, v);
        }
        double[] t = new double[p.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = sum > 0 ? Math.max(0, start[i]) / sum : p[i];
        }
        return t;
    }
}
