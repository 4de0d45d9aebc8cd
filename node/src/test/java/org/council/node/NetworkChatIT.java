package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.council.api.ChatGateway;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.RequestFeatures;
import org.council.bridge.UnsupportedFeatureException;
import org.council.bridge.openai.FakeOpenAiServer;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.peer.PeerConfig;
import org.council.node.routing.NetworkChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the node's {@link ChatGateway} routes: local backend, a peer, a council; and cancelling a peer's job. */
class NetworkChatIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

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

    private static InferenceRequest ask(String model, boolean stream) {
        return InferenceRequest.chat(RequesterId.of("someone-else"), model, List.of(ChatMessage.user("Why?")))
                .withStream(stream);
    }

    @Test
    void eachModelGoesWhereItIsServedAndEveryModelIsListedOnce() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node one = start(cluster, dir, nodes, "llama-3b", 2_000);
            Node two = start(cluster, dir, nodes, "qwen-7b", 2_000);
            start(cluster, dir, nodes, "llama-3b", 2_000); // the same model as node one: listed once
            CouncilIT.awaitAllKnowAll(nodes);
            NetworkChat chat = chat(one);

            List<ModelInfo> models = TestCluster.await(chat.models());
            assertThat(models).extracting(ModelInfo::name)
                    .containsExactly("simulated-llama-3b", "simulated-qwen-7b", ChatGateway.COUNCIL_MODEL);
            assertThat(models).allMatch(ModelInfo::simulated);
            // every chat resolves its model without building the list, to what the list says
            for (ModelInfo m : models) {
                assertThat(TestCluster.await(chat.model(m.name()))).as(m.name()).contains(m);
                assertThat(TestCluster.await(chat.model(m.name() + ":latest"))).as(m.name() + ":latest").contains(m);
            }
            assertThat(TestCluster.await(chat.model("gpt-9"))).isEmpty();

            InferenceResult local = TestCluster.await(chat.submit(ask("simulated-llama-3b", true), TokenSink.NONE).result());
            assertThat(local.backend()).isEqualTo("simulated");
            StringBuilder streamed = new StringBuilder();
            InferenceResult remote = TestCluster.await(chat.submit(ask("simulated-qwen-7b", true), streamed::append).result());
            assertThat(remote.backend()).isEqualTo("peer " + two.id().shortHex());
            assertThat(streamed.toString()).isEqualTo(remote.text()).isNotBlank();
            assertThat(remote.usage().completionTokens()).isEqualTo(24);
            List<String> once = new ArrayList<>();
            InferenceResult council = TestCluster.await(chat.submit(ask(ChatGateway.COUNCIL_MODEL, false), once::add).result());
            assertThat(council.backend()).isEqualTo("council");
            assertThat(once).containsExactly(council.text());
            assertThat(one.council().history(1)).hasSize(1);

            Throwable unknown = chat.submit(ask("gpt-9", true), TokenSink.NONE).result().cause();
            assertThat(unknown).isInstanceOf(BridgeException.class);
            assertThat(((BridgeException) unknown).code()).isEqualTo(ErrorCode.NO_SUCH_MODEL);
        }
    }

    @Test
    void cancellingAPeersJobStopsItThereAndNobodyClaimsIt() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node one = start(cluster, dir, nodes, "llama-3b", 2_000);
            Node slow = start(cluster, dir, nodes, "qwen-7b", 0.2); // 24 tokens take two minutes, longer than WAIT
            CouncilIT.awaitAllKnowAll(nodes);
            CompletableFuture<String> firstToken = new CompletableFuture<>();

            Job job = chat(one).submit(ask("simulated-qwen-7b", true), firstToken::complete);
            assertThat(firstToken.get(30, TimeUnit.SECONDS)).isNotEmpty();
            TestCluster.awaitTrue(() -> slow.bridge().queueState().running() == 1, WAIT, () -> "not running at the peer");

            assertThat(job.cancel()).isTrue();
            Throwable cause = job.result().cause();
            assertThat(((BridgeException) cause).code()).isEqualTo(ErrorCode.CANCELLED);
            TestCluster.awaitTrue(() -> slow.bridge().queueState().running() == 0, WAIT,
                    () -> "the peer still runs the cancelled job");
            assertThat(job.cancel()).as("a second cancel does nothing").isFalse();
            try (Stream<SignedEvent> feed = slow.store().feed(slow.id(), 1, 1000)) {
                assertThat(feed.filter(e -> e.body() instanceof EventBody.ServiceProposed).count())
                        .as("the peer claimed nothing for the cancelled job").isZero();
            }
        }
    }

    @Test
    void aPeerWhoseModelDoesNotAnnounceToolsOrEmbeddingIsNeverAskedForThem() {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        FakeOpenAiServer fake = TestCluster.await(new FakeOpenAiServer(vertx).start());
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            Node one = start(cluster, dir, nodes, "llama-3b", 2_000);
            // an OpenAI-compatible backend does not say what its model can do: it announces "completion" only
            Node two = cluster.add(Node.start(NodeConfig.local(dir.resolve("openai"))
                    .withPeers(PeerConfig.localDefaults().withSeeds(List.of(one.id().hex() + "@" + one.address())))
                    .withInference(new InferenceConfig(List.of(), null, SchedulerConfig.defaults(), List.of())
                            .withOpenAi(List.of(fake.baseUrl() + "/v1"), ""))));
            nodes.add(two);
            CouncilIT.awaitAllKnowAll(nodes);
            TestCluster.awaitTrue(() -> one.capabilities().of(two.id()).models().stream()
                    .anyMatch(o -> o.name().equals(FakeOpenAiServer.MODEL)), WAIT, () -> "no offer");
            assertThat(one.capabilities().of(two.id()).models().get(0).capabilities()).containsExactly("completion");
            NetworkChat chat = chat(one);

            InferenceResult plain = TestCluster.await(chat.submit(ask(FakeOpenAiServer.MODEL, false), TokenSink.NONE)
                    .result());
            assertThat(plain.backend()).isEqualTo("peer " + two.id().shortHex());
            InferenceRequest withTools = ask(FakeOpenAiServer.MODEL, false).withFeatures(new RequestFeatures(
                    List.of(Map.of("type", "function", "function", Map.of("name", "get_weather"))), null, null, null,
                    List.of(), List.of()));
            Throwable refused = chat.submit(withTools, TokenSink.NONE).result().cause();
            assertThat(refused).isInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("no connected peer announces tools");
            Throwable noEmbedding = chat.submit(InferenceRequest.embed(RequesterId.LOCAL, FakeOpenAiServer.MODEL,
                    List.of("fair"), Map.of()), TokenSink.NONE).result().cause();
            assertThat(noEmbedding).isInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("no connected peer announces embedding");
            // a peer's model is listed with what its server announced for it
            List<ModelInfo> seenByTwo = TestCluster.await(chat(two).models());
            assertThat(seenByTwo.stream().filter(m -> m.name().equals("simulated-llama-3b")).findFirst().orElseThrow()
                    .capabilities()).contains("tools", "vision", "thinking");
        } finally {
            fake.close();
            vertx.close();
        }
    }
}
