package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several nodes on loopback over the real TLS transport converge to identical feeds and projections. */
class ReplicationIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void fiveNodesInALineConverge() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                List<String> seeds = i == 0 ? List.of() : List.of(nodes.get(i - 1).id().hex() + "@" + nodes.get(i - 1).address());
                nodes.add(cluster.start("n" + i, seeds));
            }
            appendConcurrentlyWithReceipts(nodes, 200);
            cluster.awaitConverged(CONVERGE);
            acknowledgeEverything(nodes);
            cluster.awaitConverged(CONVERGE);
            assertThat(cluster.projectionsEqual()).as("identical projections").isTrue();
            assertThat(nodes.get(4).store().account(nodes.get(0).id()).earnedMilli()).isPositive();
        }
    }

    @Test
    void fiveNodesInAStarConvergeAndALateJoinerCatchesUp() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node hub = cluster.start("hub", List.of());
            List<Node> nodes = new ArrayList<>(List.of(hub));
            for (int i = 0; i < 4; i++) {
                nodes.add(cluster.start("leaf" + i, List.of(hub.id().hex() + "@" + hub.address())));
            }
            appendConcurrentlyWithReceipts(nodes, 200);
            cluster.awaitConverged(CONVERGE);
            acknowledgeEverything(nodes);
            cluster.awaitConverged(CONVERGE);
            assertThat(cluster.projectionsEqual()).isTrue();

            Node late = cluster.start("late", List.of(nodes.get(3).address()));
            cluster.awaitConverged(CONVERGE);
            assertThat(late.store().eventCount()).isEqualTo(hub.store().eventCount());
            assertThat(cluster.projectionsEqual()).isTrue();
        }
    }

    @Test
    void aPartitionHealsAndARestartedNodeResumesFromItsDataDir() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", List.of());
            Node b = cluster.start("b", List.of(a.id().hex() + "@" + a.address()));
            Node c = cluster.start("c", List.of(b.id().hex() + "@" + b.address()));
            appendConcurrentlyWithReceipts(List.of(a, b, c), 50);
            cluster.awaitConverged(CONVERGE);

            // partition {a, b} | {c}: drop every link across (peer exchange may have linked a and c too)
            for (Node side : List.of(a, b)) {
                side.peers().block(c.id());
                c.peers().block(side.id());
            }
            TestCluster.awaitTrue(() -> c.peers().connectedPeers().isEmpty()
                    && !a.peers().connectedPeers().containsKey(c.id())
                    && !b.peers().connectedPeers().containsKey(c.id()), CONVERGE, () -> "links did not drop");
            appendConcurrentlyWithReceipts(List.of(a, c), 50);
            TestCluster.awaitTrue(() -> b.store().head(a.id()).orElseThrow().seq() == a.store().head(a.id()).orElseThrow().seq(),
                    CONVERGE, () -> "a-b side did not replicate");
            assertThat(b.store().head(c.id()).orElseThrow().seq())
                    .as("c's new events cannot cross the partition")
                    .isLessThan(c.store().head(c.id()).orElseThrow().seq());

            // heal
            for (Node side : List.of(a, b)) {
                side.peers().unblock(c.id());
                c.peers().unblock(side.id());
            }
            cluster.awaitConverged(CONVERGE);

            // restart c from its data dir while the others keep writing
            Path cDir = c.config().dataDir();
            var cId = c.id();
            cluster.stop(c);
            appendConcurrentlyWithReceipts(List.of(a, b), 30);
            Node c2 = cluster.start(cDir.getFileName().toString(), List.of(b.id().hex() + "@" + b.address()));
            assertThat(c2.id()).isEqualTo(cId);
            cluster.awaitConverged(CONVERGE);
            assertThat(cluster.projectionsEqual()).isTrue();
        }
    }

    /** Every node appends {@code perNode} events at once, half of them receipt proposals to the next node. */
    static void appendConcurrentlyWithReceipts(List<Node> nodes, int perNode) {
        List<CompletableFuture<SignedEvent>> all = new ArrayList<>();
        for (int i = 0; i < perNode; i++) {
            for (int n = 0; n < nodes.size(); n++) {
                Node node = nodes.get(n);
                EventBody body = i % 2 == 0
                        ? FeedBuilder.proposal(nodes.get((n + 1) % nodes.size()).id(), 100 + i)
                        : FeedBuilder.capabilities("model-" + i);
                all.add(node.store().append(body));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /** Each node acknowledges every proposal addressed to it that it holds. */
    static void acknowledgeEverything(List<Node> nodes) {
        List<CompletableFuture<SignedEvent>> all = new ArrayList<>();
        for (Node node : nodes) {
            List<SignedEvent> proposals;
            try (var events = node.store().allEvents()) {
                proposals = events.filter(e -> e.body() instanceof EventBody.ServiceProposed p
                        && p.requester().equals(node.id())).toList();
            }
            for (SignedEvent p : proposals) {
                all.add(node.store().append(FeedBuilder.ack(p)));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }
}
