package org.council.ledger.reputation;

import org.council.crypto.NodeId;

/**
 * A frozen, index-based copy of the trust graph at one instant, ready for power iteration:
 * node ids in id order, each rater's normalised local trust {@code c[i][k]} towards
 * {@code targets[i][k]} (its row sums to at most 1; the rest returns to the pre-trusted set),
 * the pre-trusted distribution {@code p}, balances and equivocator flags.
 *
 * <p>Immutable by convention: built once by {@link TrustGraph#view}, then only read (possibly by
 * another thread, after a safe publication).
 */
final class GraphView {

    final NodeId[] ids;
    final int[][] targets;
    final double[][] c;
    final double[] p;
    final long[] balanceMilli;
    final boolean[] equivocator;
    final int self;

    GraphView(NodeId[] ids, int[][] targets, double[][] c, double[] p, long[] balanceMilli,
              boolean[] equivocator, int self) {
        this.ids = ids;
        this.targets = targets;
        this.c = c;
        this.p = p;
        this.balanceMilli = balanceMilli;
        this.equivocator = equivocator;
        this.self = self;
    }

    int size() {
        return ids.length;
    }
}
