package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.council.api.ChatGateway;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.RequesterId;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.peer.PeerConfig;
import org.council.node.routing.NetworkChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code council} chat model over a real network: a multi-turn chat streamed, and a closed request. */
class CouncilChatIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<ChatMessage> CHAT = List.of(ChatMessage.system("Be brief."),
            ChatMessage.user("Name a prime."), ChatMessage.assistant("Seven."), ChatMessage.user("And the next one?"));

    @TempDir
    Path dir;

    private static Node start(TestCluster cluster, Path dir, List<Node> nodes, String model, double tokensPerSecond) {
        List<String> seeds = nodes.stream().map(n -> n.id().hex() + "@" + n.address()).toList();
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(tokensPerSecond, Duration.ofMillis(5)).withCompletionTokens(24);
        Node n = cluster.add(Node.start(NodeConfig.local(dir.resolve("n" + nodes.size()))
                .withPeers(PeerConfig.localDefaults().withSeeds(seeds))
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim))));
        nodes.add(n);
        return n;
    }

    private static NetworkChat chat(Node n) {
        return new NetworkChat(n.bridge(), n.catalog(), n.capabilities(), n.peers(), n.karma(), n.inference().client(),
                n.council());
    }

    private static InferenceRequest council() {
        return InferenceRequest.chat(RequesterId.of("someone-else"), ChatGateway.COUNCIL_MODEL, CHAT).withStream(true);
    }

    private static long ratings(Node n) {
        try (Stream<SignedEvent> feed = n.store().feed(n.id(), 1, 10_000)) {
            return feed.filter(e -> e.body() instanceof EventBody.Rating).count();
        }
    }

    @Test
    void aMultiTurnCouncilChatStreamsTheSynthesisInManyChunks() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node one = start(cluster, dir, nodes, "llama-3b", 2_000);
            start(cluster, dir, nodes, "qwen-7b", 2_000);
            start(cluster, dir, nodes, "phi-2b", 2_000);
            CouncilIT.awaitAllKnowAll(nodes);

            List<String> chunks = new CopyOnWriteArrayList<>();
            InferenceResult r = TestCluster.await(chat(one).submit(council(), chunks::add).result());

            assertThat(r.backend()).isEqualTo("council");
            assertThat(chunks).as("the chairman's synthesis, token by token").hasSizeGreaterThan(1);
            assertThat(String.join("", chunks)).isEqualTo(r.text()).isNotBlank();
            assertThat(one.council().history(1)).hasSize(1);
        }
    }

    @Test
    void closingTheRequestCancelsTheMembersJobsAndNothingIsRated() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            // 24 tokens at 0.2/s take two minutes, longer than WAIT: the answers are still running when cancelled
            Node one = start(cluster, dir, nodes, "llama-3b", 0.2);
            start(cluster, dir, nodes, "qwen-7b", 0.2);
            start(cluster, dir, nodes, "phi-2b", 0.2);
            CouncilIT.awaitAllKnowAll(nodes);

            Job job = chat(one).submit(council(), t -> { });
            TestCluster.awaitTrue(() -> nodes.stream().allMatch(n -> n.bridge().queueState().running() == 1), WAIT,
                    () -> "the members are not all answering");

            assertThat(job.cancel()).isTrue();
            assertThat(((BridgeException) job.result().cause()).code()).isEqualTo(ErrorCode.CANCELLED);
            TestCluster.awaitTrue(() -> nodes.stream().allMatch(n -> n.bridge().queueState().running() == 0), WAIT,
                    () -> "a member still runs its cancelled answer");
            assertThat(ratings(one)).as("an unfinished council is not rated").isZero();
            assertThat(one.council().history(1)).isEmpty();
        }
    }
}
