package org.council.ledger.reputation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Removes from the best-trusted nodes' trust the part that their own vouching brought back to
 * them through cycles ({@code docs/reputation.md}, "Cycles").
 *
 * <p>Of the trust {@code t_A} at node {@code A}, a share {@code ρ_A} returns to {@code A} along
 * its own edges: {@code ρ_A = Σ} over walks {@code A → j → … → A} that never restart of
 * {@code (1 − a)^length · Π c}. So {@code t_A = x_A + ρ_A · t_A}, where {@code x_A} is what others
 * and the pre-trusted set give {@code A}; this class replaces {@code t_A} by
 * {@code x_A = t_A · (1 − ρ_A)}, which whatever {@code A} vouches for cannot raise. A cycle
 * {@code A → S1 → S2 → A} through colluders therefore gains nothing, however its receipts were
 * timestamped. {@code ρ_A} is {@code (1 − a) · Σ_j c_Aj · f_j}, with {@code f_j} the probability that
 * a walk from {@code j} reaches {@code A} before restarting (one backward iteration per node).
 * Computed for the {@code limit} best-trusted nodes other than this one (those that set the
 * karma scale and win most draws); the others keep their raw share.
 *
 * <p>Stateless and thread-safe.
 */
final class CycleReturn {

    private static final int MAX_ITERATIONS = 100;
    private static final double EPSILON = 1e-10;

    private CycleReturn() {
    }

    /** {@code t} with the self-returned share removed from the {@code limit} best-trusted nodes. */
    static double[] corrected(GraphView g, double[] t, double alpha, int limit) {
        double[] out = Arrays.copyOf(t, t.length);
        int[] best = IntStream.range(0, g.size())
                .filter(i -> i != g.self && t[i] > 0 && g.targets[i].length > 0)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -t[i]))
                .limit(limit)
                .mapToInt(Integer::intValue)
                .toArray();
        for (int a : best) {
            out[a] = t[a] * (1 - returned(g, a, alpha));
        }
        return out;
    }

    /** {@code ρ_A}: the share of {@code A}'s vouching that comes back to it without a restart. */
    static double returned(GraphView g, int target, double alpha) {
        int n = g.size();
        double[] f = new double[n];
        double[] next = new double[n];
        f[target] = 1;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double change = 0;
            for (int k = 0; k < n; k++) {
                if (k == target) {
                    next[k] = 1;
                    continue;
                }
                double sum = 0;
                for (int e = 0; e < g.targets[k].length; e++) {
                    sum += g.c[k][e] * f[g.targets[k][e]];
                }
                next[k] = (1 - alpha) * sum;
                change += Math.abs(next[k] - f[k]);
            }
            double[] swap = f;
            f = next;
            next = swap;
            if (change < EPSILON) {
                break;
            }
        }
        double rho = 0;
        for (int e = 0; e < g.targets[target].length; e++) {
            rho += g.c[target][e] * f[g.targets[target][e]];
        }
        return Math.min(1, (1 - alpha) * rho);
    }
}
