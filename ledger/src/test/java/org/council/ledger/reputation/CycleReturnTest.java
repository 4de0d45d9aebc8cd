package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

class CycleReturnTest {

    private static NodeId id() {
        return NodeKeyPair.generate().id();
    }

    @Test
    void theReturnedShareIsTheWeightOfTheWalksBackWithoutRestart() {
        // 0 = seed; 0 -> 1 (0.5); 1 -> 2 (0.5); 2 -> 1 (0.4), 2 -> 3 (0.6); 3 dangling
        GraphView g = new GraphView(new NodeId[] {id(), id(), id(), id()},
                new int[][] {{1}, {2}, {1, 3}, {}},
                new double[][] {{0.5}, {0.5}, {0.4, 0.6}, {}},
                new double[] {1, 0, 0, 0}, new long[4], new boolean[4], 0);

        // from 1 the only way back is 1 -> 2 -> 1: 0.8² · 0.5 · 0.4
        assertThat(CycleReturn.returned(g, 1, 0.2)).isCloseTo(0.128, within(1e-9));
        assertThat(CycleReturn.returned(g, 3, 0.2)).isZero();
        double[] t = {0.4, 0.3, 0.2, 0.1};
        double[] corrected = CycleReturn.corrected(g, t, 0.2, 16);
        assertThat(corrected[1]).isCloseTo(0.3 * (1 - 0.128), within(1e-9));
        assertThat(corrected[0]).isEqualTo(0.4); // this node is the root of trust: never corrected
        assertThat(corrected[3]).isEqualTo(0.1); // no outgoing edge, nothing to return
    }
}
