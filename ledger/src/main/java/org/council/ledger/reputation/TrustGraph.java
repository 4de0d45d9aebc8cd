package org.council.ledger.reputation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.council.crypto.NodeId;
import org.council.ledger.projection.ReceiptSettlement;

/**
 * The evidence graph: for every settled receipt, an edge requester → server accumulating the
 * receipt's credits with exponential time decay, plus every node's undecayed balance and the set
 * of proven equivocators.
 *
 * <p>Decay without rewriting edges: an edge stores {@code Σ credits·2^((ts − ref)/halfLife)} for a
 * reference instant {@code ref}; its weight at {@code now} is that sum times
 * {@code 2^(−(now − ref)/halfLife)}. When time has moved far past {@code ref}, {@code ref} moves
 * forward and every sum is rescaled once (a rebase), so nothing overflows.
 *
 * <p>Not thread-safe: the engine guards it with its graph lock.
 */
final class TrustGraph {

    /** Rebase once the instants used are this many half-lives past {@code ref}. */
    private static final double REBASE_HALF_LIVES = 256;

    private static final class Node {
        final Map<NodeId, double[]> out = new HashMap<>();
        long earnedMilli;
        long spentMilli;
    }

    private final Map<NodeId, Node> nodes = new HashMap<>();
    private final Set<NodeId> equivocators = new HashSet<>();
    private final double halfLifeMs;
    private long refMs;
    private long receipts;

    TrustGraph(double halfLifeMs, long refMs) {
        this.halfLifeMs = halfLifeMs;
        this.refMs = refMs;
    }

    /** Adds a settled receipt; its timestamp is clamped to {@code nowMs} so no receipt weighs more than new. */
    void add(ReceiptSettlement.Settled s, long nowMs) {
        long ts = Math.min(s.proposedAtMs(), nowMs);
        rebaseIfFar(ts);
        Node requester = node(s.requester());
        Node server = node(s.server());
        double credits = s.creditsMilli() / 1000.0;
        requester.out.computeIfAbsent(s.server(), k -> new double[1])[0] += credits * Math.pow(2, (ts - refMs) / halfLifeMs);
        server.earnedMilli += s.creditsMilli();
        requester.spentMilli += s.creditsMilli();
        receipts++;
    }

    /** True when the id was not already marked. */
    boolean markEquivocator(NodeId id) {
        return equivocators.add(id);
    }

    long receipts() {
        return receipts;
    }

    /**
     * Freezes the graph at {@code nowMs}: decayed edge weights {@code w = min(cap, decayed sum)},
     * each rater's row normalised by {@code max(saturation, Σ w)}; equivocators lose every edge in
     * and out and are never pre-trusted (except this node itself).
     */
    GraphView view(long nowMs, NodeId self, Set<NodeId> trusted, KarmaConfig config) {
        rebaseIfFar(nowMs);
        TreeSet<NodeId> all = new TreeSet<>(nodes.keySet());
        all.addAll(equivocators);
        all.addAll(trusted);
        all.add(self);
        NodeId[] ids = all.toArray(new NodeId[0]);
        Map<NodeId, Integer> index = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        int n = ids.length;
        int[][] targets = new int[n][];
        double[][] c = new double[n][];
        long[] balance = new long[n];
        boolean[] eq = new boolean[n];
        double decay = Math.pow(2, -(nowMs - refMs) / halfLifeMs);
        for (int i = 0; i < n; i++) {
            eq[i] = equivocators.contains(ids[i]) && !ids[i].equals(self);
            Node node = nodes.get(ids[i]);
            balance[i] = node == null ? 0 : node.earnedMilli - node.spentMilli;
            row(node, eq[i], decay, index, config, i, targets, c);
        }
        double[] p = new double[n];
        int seeds = 0;
        for (int i = 0; i < n; i++) {
            if (ids[i].equals(self) || (trusted.contains(ids[i]) && !eq[i])) {
                p[i] = 1;
                seeds++;
            }
        }
        for (int i = 0; i < n; i++) {
            p[i] /= seeds;
        }
        return new GraphView(ids, targets, c, p, balance, eq, index.get(self));
    }

    private void row(Node node, boolean equivocator, double decay, Map<NodeId, Integer> index, KarmaConfig config,
                     int i, int[][] targets, double[][] c) {
        int[] t = new int[node == null || equivocator ? 0 : node.out.size()];
        double[] w = new double[t.length];
        int k = 0;
        double sum = 0;
        if (t.length > 0) {
            for (Map.Entry<NodeId, double[]> e : node.out.entrySet()) {
                double weight = Math.min(config.edgeCapCredits(), e.getValue()[0] * decay);
                if (weight > 0 && !equivocators.contains(e.getKey())) {
                    t[k] = index.get(e.getKey());
                    w[k++] = weight;
                    sum += weight;
                }
            }
        }
        double denominator = Math.max(config.saturationCredits(), sum);
        for (int j = 0; j < k; j++) {
            w[j] /= denominator;
        }
        targets[i] = Arrays.copyOf(t, k);
        c[i] = Arrays.copyOf(w, k);
    }

    private Node node(NodeId id) {
        return nodes.computeIfAbsent(id, k -> new Node());
    }

    private void rebaseIfFar(long instantMs) {
        // only forward: a sum rescaled towards the past could overflow, one from long ago just underflows to 0
        if ((instantMs - refMs) / halfLifeMs < REBASE_HALF_LIVES) {
            return;
        }
        double factor = Math.pow(2, (refMs - instantMs) / halfLifeMs);
        for (Node node : nodes.values()) {
            for (double[] acc : node.out.values()) {
                acc[0] *= factor;
            }
        }
        refMs = instantMs;
    }
}
