package org.council.ledger.reputation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.council.crypto.NodeId;

/**
 * One computed result: trust share, karma and balance of every known node at {@code computedAtMs}.
 * Immutable and thread-safe; the engine publishes a new one after each recomputation.
 *
 * <p>Karma: with {@code tRef} the largest trust share of a node other than this one and not an
 * equivocator, {@code karma = topKarma · min(1, t / tRef) · (1 + b·tanh(vouched balance / scale))};
 * this node's own base is {@code topKarma}; equivocators and nodes without trust have 0. The
 * vouched balance counts each credit a node earned times its payer's standing
 * {@code min(1, t_payer / tRef)} (1 for this node, 0 for equivocators), minus everything it
 * spent: identities without trust cannot pump a balance. {@link Ranked#balanceMilli()} stays the
 * plain balance, the figure of {@code /accounts/{id}}.
 */
final class TrustSnapshot {

    /** How many of the best-trusted nodes lose the trust that returned to them through cycles. */
    static final int CYCLE_CHECKED_NODES = 16;

    private final Map<NodeId, Ranked> byId;
    private final List<Ranked> ranking;
    private final long computedAtMs;
    private final int iterations;
    private final GraphView view;
    private final double[] raw;

    private TrustSnapshot(Map<NodeId, Ranked> byId, List<Ranked> ranking, long computedAtMs, int iterations,
                          GraphView view, double[] raw) {
        this.view = view;
        this.raw = raw;
        this.byId = byId;
        this.ranking = ranking;
        this.computedAtMs = computedAtMs;
        this.iterations = iterations;
    }

    static TrustSnapshot of(GraphView g, EigenTrust.Result result, KarmaConfig config, long nowMs) {
        // trust a node's own vouching brought back through cycles does not count (CycleReturn)
        double[] t = CycleReturn.corrected(g, result.trust(), config.alpha(), CYCLE_CHECKED_NODES);
        double tRef = 0;
        for (int i = 0; i < g.size(); i++) {
            if (i != g.self && !g.equivocator[i]) {
                tRef = Math.max(tRef, t[i]);
            }
        }
        double[] standing = new double[g.size()];
        for (int i = 0; i < g.size(); i++) {
            standing[i] = g.equivocator[i] ? 0 : i == g.self ? 1 : tRef > 0 ? Math.min(1, t[i] / tRef) : 0;
        }
        Map<NodeId, Ranked> byId = new HashMap<>(g.size() * 2);
        List<Ranked> ranking = new ArrayList<>(g.size());
        for (int i = 0; i < g.size(); i++) {
            double trust = g.equivocator[i] ? 0 : t[i];
            double base;
            if (g.equivocator[i] || trust <= 0) {
                base = 0;
            } else if (i == g.self) {
                base = config.topKarma();
            } else {
                base = config.topKarma() * Math.min(1, trust / tRef);
            }
            double karma = base == 0 ? 0 : base * config.balanceFactor(vouchedBalance(g, standing, i));
            Ranked r = new Ranked(g.ids[i], karma, trust, g.balanceMilli[i], g.equivocator[i]);
            byId.put(r.id(), r);
            if (i != g.self) {
                ranking.add(r);
            }
        }
        ranking.sort(Comparator.comparingDouble(Ranked::karma).reversed()
                .thenComparing(Comparator.comparingDouble(Ranked::trust).reversed())
                .thenComparing(Ranked::id));
        return new TrustSnapshot(byId, List.copyOf(ranking), nowMs, result.iterations(), g, result.trust());
    }

    /** Credits earned from each payer times the payer's standing, minus everything spent (milli). */
    private static double vouchedBalance(GraphView g, double[] standing, int j) {
        double earned = 0;
        for (int k = 0; k < g.payers[j].length; k++) {
            earned += g.paidMilli[j][k] * standing[g.payers[j][k]];
        }
        return earned - g.spentMilli[j];
    }

    /** The local trust {@code rater} gave {@code ratee} in this result's graph, 0 when either is unknown. */
    double localTrust(NodeId rater, NodeId ratee) {
        int i = java.util.Arrays.binarySearch(view.ids, rater);
        int j = java.util.Arrays.binarySearch(view.ids, ratee);
        return i < 0 || j < 0 ? 0 : view.localTrust(i, j);
    }

    /** This trust vector laid out on the indices of {@code next}, to warm-start its computation. */
    double[] warmStart(GraphView next) {
        double[] start = new double[next.size()];
        for (int i = 0; i < start.length; i++) {
            int k = java.util.Arrays.binarySearch(view.ids, next.ids[i]);
            start[i] = k < 0 ? 0 : raw[k];
        }
        return start;
    }

    Ranked get(NodeId id) {
        return byId.get(id);
    }

    List<Ranked> ranking() {
        return ranking;
    }

    long computedAtMs() {
        return computedAtMs;
    }

    int iterations() {
        return iterations;
    }
}
