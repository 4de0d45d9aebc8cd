package org.council.ledger.reputation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Karma-weighted random choice among candidates, for routing a job to a peer and seating council
 * members ({@code docs/reputation.md}, "Choosing servers and members").
 *
 * <p>Each draw is, with probability {@code explore}, uniform over the candidates left (BitTorrent's
 * optimistic unchoke: a newcomer with no karma still gets picked now and then, so it can earn
 * some), and otherwise proportional to each candidate's karma (uniform when none has any).
 * Nothing depends on a candidate's id or position beyond the order the caller passes, so grinding
 * a small id wins nothing: K candidates with equal karma each get 1/K of the draws, and candidates
 * with no karma together get at most {@code explore} of the draws while any candidate has karma.
 *
 * <p>{@link #chances} and {@link #inclusion} give those probabilities exactly, from the same
 * per-draw chances ({@code Step}) the draws themselves invert, so a measurement of them (tests,
 * {@code scripts/bench karma}) measures the draw that routes jobs and seats members, without
 * sampling noise.
 *
 * <p>Stateless and thread-safe (the {@code Random} passed in is the caller's concern).
 */
public final class WeightedDraw {

    /** Share of draws that ignore karma; the floor that lets newcomers in. */
    public static final double EXPLORE = 0.1;

    /** The most candidates {@link #inclusion} takes (the sets already drawn are bit masks). */
    public static final int MAX_EXACT_CANDIDATES = 63;

    /** The most sets of already drawn candidates {@link #inclusion} walks through (its cost). */
    public static final int MAX_EXACT_STATES = 1_000_000;

    private WeightedDraw() {
    }

    /**
     * One index of {@code weights} (karma; negatives count as 0), drawn as the class describes.
     *
     * @throws IllegalArgumentException when there is no candidate
     */
    public static int pick(double[] weights, double explore, Random random) {
        int[] one = sample(weights, explore, 1, random);
        if (one.length == 0) {
            throw new IllegalArgumentException("no candidate");
        }
        return one[0];
    }

    /**
     * {@code min(k, weights.length)} distinct indices, drawn one after another among those left,
     * in the order drawn.
     */
    public static int[] sample(double[] weights, double explore, int k, Random random) {
        checkExplore(explore);
        int n = weights.length;
        boolean[] taken = new boolean[n];
        int[] out = new int[Math.min(Math.max(k, 0), n)];
        for (int d = 0; d < out.length; d++) {
            Step step = new Step(weights, taken);
            // first which part of the mixture draws, then which candidate within it
            boolean uniform = step.total <= 0 || random.nextDouble() < explore;
            int chosen = step.inverse(uniform, random.nextDouble());
            taken[chosen] = true;
            out[d] = chosen;
        }
        return Arrays.copyOf(out, out.length);
    }

    /** The exact chance of each index to be what {@link #pick} returns (all 0 when there is none). */
    public static double[] chances(double[] weights, double explore) {
        checkExplore(explore);
        return new Step(weights, new boolean[weights.length]).chances(explore);
    }

    /**
     * The exact chance of each index to be among the indices {@link #sample} returns for {@code k}:
     * the sum, over every sequence of draws, of the product of the per-draw chances. Its cost grows
     * with the number of sets of fewer than {@code k} candidates, fine for a council's few seats.
     *
     * @throws IllegalArgumentException for more than {@value #MAX_EXACT_CANDIDATES} candidates or
     *                                  more than {@value #MAX_EXACT_STATES} such sets
     */
    public static double[] inclusion(double[] weights, double explore, int k) {
        checkExplore(explore);
        int n = weights.length;
        int seats = Math.min(Math.max(k, 0), n);
        double states = 0;
        double subsets = 1; // C(n, d)
        for (int d = 0; d < seats; d++) {
            states += subsets;
            subsets = subsets * (n - d) / (d + 1);
        }
        if (n > MAX_EXACT_CANDIDATES || states > MAX_EXACT_STATES) {
            throw new IllegalArgumentException("at most " + MAX_EXACT_CANDIDATES + " candidates and "
                    + MAX_EXACT_STATES + " sets of drawn candidates");
        }
        double[] out = new double[n];
        Map<Long, Double> reach = Map.of(0L, 1.0); // set drawn so far → chance to have drawn exactly it
        for (int d = 0; d < seats; d++) {
            Map<Long, Double> next = new HashMap<>();
            for (Map.Entry<Long, Double> e : reach.entrySet()) {
                boolean[] taken = new boolean[n];
                for (int i = 0; i < n; i++) {
                    taken[i] = (e.getKey() & (1L << i)) != 0;
                }
                double[] p = new Step(weights, taken).chances(explore);
                for (int i = 0; i < n; i++) {
                    if (p[i] > 0) {
                        out[i] += e.getValue() * p[i];
                        next.merge(e.getKey() | (1L << i), e.getValue() * p[i], Double::sum);
                    }
                }
            }
            reach = next;
        }
        return out;
    }

    /** One draw among the candidates not yet taken: the two parts of the mixture, each summing to 1. */
    private static final class Step {
        private final double[] weights;
        private final boolean[] taken;
        private final int left;
        private final double total;

        Step(double[] weights, boolean[] taken) {
            this.weights = weights;
            this.taken = taken;
            int l = 0;
            double t = 0;
            for (int i = 0; i < weights.length; i++) {
                if (!taken[i]) {
                    l++;
                    t += weight(weights[i]);
                }
            }
            left = l;
            total = t;
        }

        double uniformChance(int i) {
            return taken[i] ? 0 : 1.0 / left;
        }

        double karmaChance(int i) {
            return taken[i] || total <= 0 ? 0 : weight(weights[i]) / total;
        }

        double[] chances(double explore) {
            double[] p = new double[weights.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = total <= 0 ? uniformChance(i) : explore * uniformChance(i) + (1 - explore) * karmaChance(i);
            }
            return p;
        }

        /** The candidate whose slice of the chosen part holds {@code u} in [0, 1). */
        int inverse(boolean uniform, double u) {
            double target = u;
            for (int i = 0; i < weights.length; i++) {
                if (!taken[i]) {
                    target -= uniform ? uniformChance(i) : karmaChance(i);
                    if (target < 0) {
                        return i;
                    }
                }
            }
            // rounding at the very end of the range: the last candidate left that could win
            for (int i = weights.length - 1; i >= 0; i--) {
                if (!taken[i] && (uniform || weight(weights[i]) > 0)) {
                    return i;
                }
            }
            throw new IllegalStateException("no candidate left");
        }
    }

    private static void checkExplore(double explore) {
        if (!(explore >= 0 && explore <= 1)) {
            throw new IllegalArgumentException("explore must be in [0, 1]");
        }
    }

    private static double weight(double karma) {
        return karma > 0 && Double.isFinite(karma) ? karma : 0;
    }
}
