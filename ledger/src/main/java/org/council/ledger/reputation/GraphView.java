package org.council.ledger.reputation;

import org.council.crypto.NodeId;

/**
 * A frozen, index-based copy of the trust graph at one instant, ready for power iteration:
 * node ids in id order, each rater's normalised local trust {@code c[i][k]} towards
 * {@code targets[i][k]} (its row sums to at most 1; the rest returns to the pre-trusted set),
 * the pre-trusted distribution {@code p}, balances and equivocator flags, and for the balance
 * factor every server's payers with the undecayed credits each paid it ({@code payers[j][k]},
 * {@code paidMilli[j][k]}) and what each node spent.
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
    final int[][] payers;
    final long[][] paidMilli;
    final long[] spentMilli;

    /** A view without payment detail (for tests of the iteration alone). */
    GraphView(NodeId[] ids, int[][] targets, double[][] c, double[] p, long[] balanceMilli,
              boolean[] equivocator, int self) {
        this(ids, targets, c, p, balanceMilli, equivocator, self, new int[ids.length][0], new long[ids.length][0],
                new long[ids.length]);
    }

    GraphView(NodeId[] ids, int[][] targets, double[][] c, double[] p, long[] balanceMilli,
              boolean[] equivocator, int self, int[][] payers, long[][] paidMilli, long[] spentMilli) {
        this.ids = ids;
        this.targets = targets;
        this.c = c;
        this.p = p;
        this.balanceMilli = balanceMilli;
        this.equivocator = equivocator;
        this.self = self;
        this.payers = payers;
        this.paidMilli = paidMilli;
        this.spentMilli = spentMilli;
    }

    /** The local trust {@code c} that rater {@code i} gives {@code j}, 0 without an edge. */
    double localTrust(int i, int j) {
        for (int k = 0; k < targets[i].length; k++) {
            if (targets[i][k] == j) {
                return c[i][k];
            }
        }
        return 0;
    }

    int size() {
        return ids.length;
    }
}
