package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.council.CouncilListener;
import org.council.node.council.CouncilResult;
import org.council.node.council.CouncilTimeouts;
import org.council.node.council.StageFailure;
import org.council.node.peer.PeerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Council queries across four nodes on loopback with simulated backends. */
class CouncilIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static NodeConfig config(Path dir, List<String> seeds, String model, double tokensPerSecond) {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(tokensPerSecond, Duration.ofMillis(5)).withCompletionTokens(24);
        return NodeConfig.local(dir).withPeers(PeerConfig.localDefaults().withSeeds(seeds))
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim));
    }

    private static Node startMesh(TestCluster cluster, Path dir, List<Node> nodes, String name, String model, double tps) {
        List<String> seeds = nodes.stream().map(n -> n.id().hex() + "@" + n.address()).toList();
        Node n = cluster.add(Node.start(config(dir.resolve(name), seeds, model, tps)));
        nodes.add(n);
        return n;
    }

    @Test
    void aCouncilAcrossFourNodesCompletesAndEveryReceiptSettlesEverywhere() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node asker = startMesh(cluster, dir, nodes, "asker", "llama-3b", 2_000);
            startMesh(cluster, dir, nodes, "b", "qwen-7b", 2_000);
            startMesh(cluster, dir, nodes, "c", "mistral-7b", 2_000);
            startMesh(cluster, dir, nodes, "d", "phi-3b", 2_000);
            awaitAllKnowAll(nodes);

            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            CouncilResult result = TestCluster.await(asker.council().ask("Why do councils vote?", 4,
                    CouncilTimeouts.of(Duration.ofSeconds(20)), e -> events.add(e.getClass().getSimpleName())));

            assertThat(result.stagesCompleted()).as(String.valueOf(result.failures())).isEqualTo(3);
            assertThat(result.members()).hasSize(4);
            assertThat(result.answer()).isNotBlank();
            assertThat(result.ratedMembers()).isNotEmpty();
            assertThat(events).contains("StageStarted", "MemberReplied", "StageEnded");

            cluster.awaitConverged(WAIT);
            assertThat(cluster.projectionsEqual()).as("balances agree on every node").isTrue();
            for (Node n : nodes) {
                List<SignedEvent> proposals = proposalsFor(n, asker.id());
                assertThat(proposals).as("receipts at %s", n.id().shortHex()).isNotEmpty();
                for (SignedEvent p : proposals) {
                    assertThat(hasAck(n, asker.id(), p)).as("ack for %s at %s", p, n.id().shortHex()).isTrue();
                }
                assertThat(n.store().account(asker.id()).spentMilli()).isPositive();
            }
            long served = proposalsFor(asker, asker.id()).size();
            assertThat(served).as("every remote stage that served earns a receipt").isGreaterThanOrEqualTo(3);
            for (Node member : nodes.subList(1, 4)) {
                TestCluster.awaitTrue(() -> asker.karma().karma(member.id()) > 0, WAIT,
                        () -> "karma of " + member.id().shortHex() + " at the asker did not rise");
            }
            // the ranking is on the ledger
            TestCluster.awaitTrue(() -> events(asker).anyMatch(e -> e.author().equals(asker.id())
                    && e.body() instanceof EventBody.Rating), WAIT, () -> "no rating event");
        }
    }

    @Test
    void aMemberThatFailsIsDroppedAndEarnsNothing() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node asker = startMesh(cluster, dir, nodes, "asker", "llama-3b", 2_000);
            startMesh(cluster, dir, nodes, "b", "qwen-7b", 2_000);
            Node slow = startMesh(cluster, dir, nodes, "slow", "phi-3b", 1); // 24 tokens at 1 token/s
            awaitAllKnowAll(nodes);

            CouncilResult result = TestCluster.await(asker.council().ask("Is it slow?", 3,
                    new CouncilTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10)),
                    CouncilListener.NONE));

            assertThat(result.failures()).extracting(StageFailure::member).anyMatch(m -> m.node().equals(slow.id()));
            assertThat(result.stagesCompleted()).isEqualTo(3);
            cluster.awaitConverged(WAIT);
            try (Stream<SignedEvent> feed = slow.store().feed(slow.id(), 1, 1000)) {
                assertThat(feed.filter(e -> e.body() instanceof EventBody.ServiceProposed).count())
                        .as("the timed-out member claimed nothing").isZero();
            }
            assertThat(asker.store().account(slow.id()).earnedMilli()).isZero();
        }
    }

    @Test
    void aChairmanThatTimesOutLeavesTwoStagesNoAnswerAndNoClaim() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node asker = startMesh(cluster, dir, nodes, "asker", "llama-3b", 2_000);
            startMesh(cluster, dir, nodes, "b", "qwen-7b", 2_000);
            startMesh(cluster, dir, nodes, "c", "mistral-7b", 2_000);
            Node slowChair = startMesh(cluster, dir, nodes, "chair", "phi-3b", 1); // 24 tokens at 1 token/s
            awaitAllKnowAll(nodes);
            // three fast members (by their models); the slow node only chairs
            CouncilResult result = TestCluster.await(asker.council().ask("Who decides?", 3,
                    java.util.Set.of("simulated-llama-3b", "simulated-qwen-7b", "simulated-mistral-7b"),
                    new CouncilTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(2)),
                    new org.council.node.council.Member(slowChair.id(), "simulated-phi-3b", 0), CouncilListener.NONE));

            assertThat(result.members()).extracting(m -> m.node()).doesNotContain(slowChair.id());
            assertThat(result.stagesCompleted()).isEqualTo(2);
            assertThat(result.answer()).isNull();
            assertThat(result.failures()).extracting(StageFailure::member)
                    .anyMatch(m -> m.node().equals(slowChair.id()));
            cluster.awaitConverged(WAIT);
            try (Stream<SignedEvent> feed = slowChair.store().feed(slowChair.id(), 1, 1000)) {
                assertThat(feed.filter(e -> e.body() instanceof EventBody.ServiceProposed).count())
                        .as("the chairman that timed out claimed nothing").isZero();
            }
        }
    }

    static void awaitAllKnowAll(List<Node> nodes) {
        TestCluster.awaitTrue(() -> nodes.stream().allMatch(n -> n.peers().connectedPeers().size() == nodes.size() - 1
                && nodes.stream().allMatch(o -> n.capabilities().of(o.id()) != null)), WAIT, () -> "mesh not formed");
    }

    private static Stream<SignedEvent> events(Node n) {
        List<SignedEvent> all;
        try (Stream<SignedEvent> s = n.store().allEvents()) {
            all = s.toList();
        }
        return all.stream();
    }

    static List<SignedEvent> proposalsFor(Node n, NodeId requester) {
        return events(n).filter(e -> e.body() instanceof EventBody.ServiceProposed p && p.requester().equals(requester))
                .toList();
    }

    static boolean hasAck(Node n, NodeId requester, SignedEvent proposal) {
        return events(n).anyMatch(e -> e.author().equals(requester) && e.body() instanceof EventBody.ServiceAcknowledged a
                && a.proposalId().equals(proposal.id()));
    }

}
