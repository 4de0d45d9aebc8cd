package org.council.ledger.reputation;

import java.util.Arrays;
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
 * <p>Stateless and thread-safe (the {@code Random} passed in is the caller's concern).
 */
public final class WeightedDraw {

    /** Share of draws that ignore karma; the floor that lets newcomers in. */
    public static final double EXPLORE = 0.1;

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
        if (!(explore >= 0 && explore <= 1)) {
            throw new IllegalArgumentException("explore must be in [0, 1]");
        }
        int n = weights.length;
        boolean[] taken = new boolean[n];
        int[] out = new int[Math.min(Math.max(k, 0), n)];
        for (int d = 0; d < out.length; d++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += taken[i] ? 0 : weight(weights[i]);
            }
            boolean uniform = total <= 0 || random.nextDouble() < explore;
            double target = random.nextDouble() * (uniform ? n - d : total);
            int chosen = -1;
            for (int i = 0; i < n && chosen < 0; i++) {
                if (!taken[i]) {
                    target -= uniform ? 1 : weight(weights[i]);
                    if (target < 0) {
                        chosen = i;
                    }
                }
            }
            if (chosen < 0) { // rounding at the very end of the range: the last candidate left that could win
                for (int i = n - 1; i >= 0 && chosen < 0; i--) {
                    if (!taken[i] && (uniform || weight(weights[i]) > 0)) {
                        chosen = i;
                    }
                }
            }
            taken[chosen] = true;
            out[d] = chosen;
        }
        return Arrays.copyOf(out, out.length);
    }

    private static double weight(double karma) {
        return karma > 0 && Double.isFinite(karma) ? karma : 0;
    }
}
