package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoNodeTest {

    @TempDir
    Path dir;

    @Test
    void twoNodesConnectOverTlsAndReplicateBothWays() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", List.of());
            for (int i = 0; i < 50; i++) {
                a.store().append(FeedBuilder.capabilities("a" + i)).join();
            }
            Node b = cluster.start("b", List.of(a.id().hex() + "@" + a.address()));
            for (int i = 0; i < 30; i++) {
                b.store().append(FeedBuilder.capabilities("b" + i)).join();
            }
            cluster.awaitConverged(Duration.ofSeconds(20));
            assertThat(a.peers().connectedPeers()).containsKey(b.id());
            // each feed starts with the node's capabilities announcement
            assertThat(b.store().head(a.id()).orElseThrow().seq()).isEqualTo(51);
            assertThat(a.store().head(b.id()).orElseThrow().seq()).isEqualTo(31);
            // live push after the initial exchange
            a.store().append(FeedBuilder.capabilities("late")).join();
            cluster.awaitConverged(Duration.ofSeconds(20));
            assertThat(b.store().head(a.id()).orElseThrow().seq()).isEqualTo(52);
        }
    }
}
