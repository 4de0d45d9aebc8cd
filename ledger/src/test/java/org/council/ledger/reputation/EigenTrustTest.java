package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

class EigenTrustTest {

    // 0 = seed; 0 → 1 (0.5), 0 → 2 (0.5); 1 → 2 (1); 2 dangling
    private final GraphView view = new GraphView(
            new NodeId[] {id(), id(), id()},
            new int[][] {{1, 2}, {2}, {}},
            new double[][] {{0.5, 0.5}, {1}, {}},
            new double[] {1, 0, 0}, new long[3], new boolean[3], 0);

    @Test
    void theFixpointConservesMassAndSolvesTheEquation() {
        EigenTrust.Result r = EigenTrust.solve(view, 0.2, new double[3], 1e-12, 1000);
        double[] t = r.trust();
        assertThat(Arrays.stream(t).sum()).isCloseTo(1, within(1e-12));
        // t1 = 0.8·0.5·t0 ; t2 = 0.8·(0.5·t0 + t1) ; t0 = 0.2 + 0.8·t2
        assertThat(t[1]).isCloseTo(0.4 * t[0], within(1e-10));
        assertThat(t[2]).isCloseTo(0.8 * (0.5 * t[0] + t[1]), within(1e-10));
        assertThat(t[0]).isCloseTo(0.2 + 0.8 * t[2], within(1e-10));
    }

    @Test
    void aWarmStartAtTheFixpointStopsAtOnce() {
        double[] fixpoint = EigenTrust.solve(view, 0.2, new double[3], 1e-12, 1000).trust();
        EigenTrust.Result again = EigenTrust.solve(view, 0.2, fixpoint, 1e-6, 1000);
        assertThat(again.iterations()).isEqualTo(1);
        EigenTrust.Result cold = EigenTrust.solve(view, 0.2, new double[3], 1e-6, 1000);
        assertThat(cold.iterations()).isGreaterThan(10);
    }

    private static NodeId id() {
        return NodeKeyPair.generate().id();
    }
}
