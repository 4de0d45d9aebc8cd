package org.council.ledger.reputation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.council.crypto.NodeId;
import org.council.ledger.projection.ReceiptSettlement;

/**
 * The evidence graph: for every settled receipt, an edge requester → server accumulating the
 * receipt's credits with exponential time decay (and undecayed, for balances), the time the rater
 * first settled a receipt with that server (probation), the rater's council ratings of that server
 * (quality), every node's undecayed balance and the set of proven equivocators.
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

    /** What one rater holds about one server. */
    private static final class Edge {
        double decayed;
        long creditsMilli;
        long firstSettledMs = Long.MAX_VALUE;
        double qualitySum;
        double qualityWeight;
    }

    private static final class Node {
        final Map<NodeId, Edge> out = new HashMap<>();
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

    /**
     * Adds a settled receipt; its timestamp is clamped to {@code nowMs} so no receipt weighs more
     * than new. {@code settledAtMs} (the later of its two halves' timestamps) starts the edge's
     * probation when it is the rater's first receipt with this server.
     */
    void add(ReceiptSettlement.Settled s, long settledAtMs, long nowMs) {
        long ts = Math.min(s.proposedAtMs(), nowMs);
        rebaseIfFar(ts);
        Node requester = node(s.requester());
        Node server = node(s.server());
        double credits = s.creditsMilli() / 1000.0;
        Edge edge = requester.out.computeIfAbsent(s.server(), k -> new Edge());
        edge.decayed += credits * Math.pow(2, (ts - refMs) / halfLifeMs);
        edge.creditsMilli = saturatedAdd(edge.creditsMilli, s.creditsMilli());
        edge.firstSettledMs = Math.min(edge.firstSettledMs, Math.min(settledAtMs, nowMs));
        server.earnedMilli = saturatedAdd(server.earnedMilli, s.creditsMilli());
        requester.spentMilli = saturatedAdd(requester.spentMilli, s.creditsMilli());
        receipts++;
    }

    /**
     * Records that {@code rater}'s council ranked {@code member} with quality {@code q} in [0, 1]
     * at {@code tsMs}. Only the rater's own edge to the member is affected; a rating of oneself
     * is ignored.
     */
    boolean rate(NodeId rater, NodeId member, double q, long tsMs) {
        if (rater.equals(member)) {
            return false;
        }
        rebaseIfFar(tsMs);
        Edge edge = node(rater).out.computeIfAbsent(member, k -> new Edge());
        double weight = Math.pow(2, (tsMs - refMs) / halfLifeMs);
        edge.qualitySum += Math.min(1, Math.max(0, q)) * weight;
        edge.qualityWeight += weight;
        return true;
    }

    /** True when the id was not already marked. */
    boolean markEquivocator(NodeId id) {
        return equivocators.add(id);
    }

    long receipts() {
        return receipts;
    }

    /**
     * Freezes the graph at {@code nowMs}. Per rater: each edge's decayed credits minus those of the
     * reverse edge (net flow, so a pair trading both ways vouches only for the difference), times
     * the quality multiplier of the rater's ratings, capped; the edges still in probation scaled by
     * the newcomer share, and further if needed so that together, counted before quality, they
     * stay within the newcomer budget; the row normalised by {@code max(saturation, Σ w)}. Equivocators lose every edge in
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
        long[] spent = new long[n];
        boolean[] eq = new boolean[n];
        List<List<long[]>> paid = new ArrayList<>(n);
        double decay = Math.pow(2, -(nowMs - refMs) / halfLifeMs);
        for (int i = 0; i < n; i++) {
            eq[i] = equivocators.contains(ids[i]) && !ids[i].equals(self);
            paid.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(ids[i]);
            balance[i] = node == null ? 0 : saturatedAdd(node.earnedMilli, -node.spentMilli);
            spent[i] = node == null ? 0 : node.spentMilli;
            if (node != null) {
                for (Map.Entry<NodeId, Edge> e : node.out.entrySet()) {
                    if (e.getValue().creditsMilli > 0) {
                        paid.get(index.get(e.getKey())).add(new long[] {i, e.getValue().creditsMilli});
                    }
                }
            }
            row(ids[i], node, eq[i], decay, nowMs, index, config, i, targets, c);
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
        int[][] payers = new int[n][];
        long[][] paidMilli = new long[n][];
        for (int j = 0; j < n; j++) {
            List<long[]> in = paid.get(j);
            payers[j] = new int[in.size()];
            paidMilli[j] = new long[in.size()];
            for (int k = 0; k < in.size(); k++) {
                payers[j][k] = (int) in.get(k)[0];
                paidMilli[j][k] = in.get(k)[1];
            }
        }
        return new GraphView(ids, targets, c, p, balance, eq, index.get(self), payers, paidMilli, spent);
    }

    private void row(NodeId id, Node node, boolean equivocator, double decay, long nowMs, Map<NodeId, Integer> index,
                     KarmaConfig config, int i, int[][] targets, double[][] c) {
        int size = node == null || equivocator ? 0 : node.out.size();
        int[] t = new int[size];
        double[] w = new double[size];
        boolean[] newcomer = new boolean[size];
        int k = 0;
        double newcomerSum = 0;
        long probationStart = nowMs - config.probation().toMillis();
        if (size > 0) {
            for (Map.Entry<NodeId, Edge> e : node.out.entrySet()) {
                Edge edge = e.getValue();
                if (equivocators.contains(e.getKey()) || edge.decayed <= 0) {
                    continue;
                }
                double net = edge.decayed * decay - reverse(id, e.getKey()) * decay;
                double quality = edge.qualityWeight > 0
                        ? config.qualityMultiplier(edge.qualitySum / edge.qualityWeight) : 1;
                double weight = Math.min(config.edgeCapCredits(), net * quality);
                if (weight > 0) {
                    t[k] = index.get(e.getKey());
                    w[k] = weight;
                    newcomer[k] = edge.firstSettledMs > probationStart;
                    if (newcomer[k]) {
                        // the budget is shared by the evidence before quality: what a rating withholds
                        // from a garbage server is not handed back to the other newcomers
                        newcomerSum += Math.min(config.edgeCapCredits(), net);
                    }
                    k++;
                }
            }
        }
        // escrow: newcomers count at a share of their evidence, and together within one budget
        double scale = Math.min(config.newcomerShare(),
                newcomerSum > 0 ? config.newcomerBudgetCredits() / newcomerSum : 1);
        double sum = 0;
        for (int j = 0; j < k; j++) {
            if (newcomer[j]) {
                w[j] *= scale;
            }
            sum += w[j];
        }
        double denominator = Math.max(config.saturationCredits(), sum);
        for (int j = 0; j < k; j++) {
            w[j] /= denominator;
        }
        targets[i] = Arrays.copyOf(t, k);
        c[i] = Arrays.copyOf(w, k);
    }

    /** The undecayed-reference sum of the reverse edge {@code to → from}, 0 when absent. */
    private double reverse(NodeId from, NodeId to) {
        Node back = nodes.get(to);
        Edge edge = back == null ? null : back.out.get(from);
        return edge == null ? 0 : edge.decayed;
    }

    private Node node(NodeId id) {
        return nodes.computeIfAbsent(id, k -> new Node());
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        // overflow only when both operands share a sign that the result lacks
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    private void rebaseIfFar(long instantMs) {
        // only forward: a sum rescaled towards the past could overflow, one from long ago just underflows to 0
        if ((instantMs - refMs) / halfLifeMs < REBASE_HALF_LIVES) {
            return;
        }
        double factor = Math.pow(2, (refMs - instantMs) / halfLifeMs);
        for (Node node : nodes.values()) {
            for (Edge edge : node.out.values()) {
                edge.decayed *= factor;
                edge.qualitySum *= factor;
                edge.qualityWeight *= factor;
            }
        }
        refMs = instantMs;
    }
}
