package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.council.api.ChatGateway;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedBackend;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.peer.PeerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code ollama} npm client, unchanged, against node 1 of a three-node network:
 * list, show, chat streamed and not for a local model, a model only a peer serves (which must
 * leave a receipt pair in node 1's ledger) and {@code council}; a tool-call round trip, a JSON
 * schema and think for the local model and for the peer's; embeddings for both (the peer's are embedding
 * jobs with receipts, and its deterministic vectors). Needs Node.js and npm on the PATH
 * (CI has them): without them this test fails, it does not skip.
 */
class OllamaClientIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String LOCAL = "simulated-llama-3b";
    private static final String PEER_ONLY = "simulated-qwen-7b";
    private static final int TOKENS = 24;

    @TempDir
    Path dir;

    @Test
    void theOfficialOllamaClientReachesLocalPeerAndCouncilModelsThroughNodeOne() throws Exception {
        NpmProject client = new NpmProject("ollama-client")
                .prepare(List.of("package.json", "package-lock.json", "check.mjs"));
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = new ArrayList<>();
            for (String model : List.of(LOCAL, PEER_ONLY, "simulated-mistral-7b")) {
                List<String> seeds = nodes.stream().map(n -> n.id().hex() + "@" + n.address()).toList();
                SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                        .withRate(2_000, Duration.ofMillis(5)).withCompletionTokens(TOKENS);
                nodes.add(cluster.add(Node.start(NodeConfig.local(dir.resolve("node" + (nodes.size() + 1)))
                        .withPeers(PeerConfig.localDefaults().withSeeds(seeds))
                        .withInference(InferenceConfig.simulatedOnly().withSimulated(sim)))));
            }
            CouncilIT.awaitAllKnowAll(nodes);
            Node one = nodes.get(0);
            Node peer = nodes.get(1);
            assertThat(one.ollamaUrl()).startsWith("http://127.0.0.1:");

            JsonNode out = client.run(Duration.ofMinutes(3), "node", "check.mjs", one.ollamaUrl(), LOCAL, PEER_ONLY);

            assertThat(out.get("version").asText()).isEqualTo(Node.VERSION);
            assertThat(out.get("list").findValuesAsText("name"))
                    .containsExactlyInAnyOrder(LOCAL, PEER_ONLY, "simulated-mistral-7b", ChatGateway.COUNCIL_MODEL);
            assertThat(out.get("list").findValuesAsText("family")).as("every model here is simulated and says so")
                    .containsOnly("simulated");
            assertThat(out.get("show").get("capabilities").get(0).asText()).isEqualTo("completion");
            assertThat(out.get("generate").asText()).startsWith(SimulatedBackend.BANNER);
            assertStreamedAndWhole(out.get("local"), true);
            assertStreamedAndWhole(out.get("peer"), true);
            assertStreamedAndWhole(out.get("council"), false);
            assertThat(one.council().history(10)).as("model council ran a full council query each time").hasSize(2)
                    .allMatch(r -> r.stagesCompleted() == 3 && r.members().size() == 3);
            assertFeatures(out);
            assertFeatures(out.get("peer_features"));
            assertThat(out.get("embed").get("count").asInt()).isEqualTo(2);
            assertThat(out.get("embed").get("dims").asInt()).isEqualTo(384);
            assertThat(out.get("legacy_embedding").asInt()).isEqualTo(384);
            double[] fair = peerVector(peer, "fair");
            assertThat(out.get("peer_embed").get("count").asInt()).isEqualTo(2);
            assertThat(out.get("peer_embed").get("prompt_eval_count").asInt()).isEqualTo(2);
            assertVector(out.get("peer_embed").get("first"), fair);
            assertVector(out.get("peer_legacy_embedding"), fair);
            assertThat(out.get("missing").get("status").asInt()).isEqualTo(404);
            assertThat(out.get("missing").get("error").asText())
                    .isEqualTo("model \"no-such-model\" not found, try pulling it first");

            // the peer chats (2 plain, 2 for the tool round trip, 1 schema, 1 think) were remote jobs: the
            // peer's claims and node 1's acknowledgements, in node 1's ledger
            TestCluster.awaitTrue(() -> peerChats(one, peer).size() == 6 && peerChats(one, peer).stream()
                    .allMatch(p -> CouncilIT.hasAck(one, one.id(), p)), WAIT,
                    () -> "no receipt pair for the peer chats in node 1's ledger: " + peerChats(one, peer));
            // the peer's embeddings (embed and the legacy route) were embedding jobs, paid per the formula
            TestCluster.awaitTrue(() -> peerJobs(one, peer, "embed").size() == 2 && peerJobs(one, peer, "embed").stream()
                    .allMatch(p -> CouncilIT.hasAck(one, one.id(), p)), WAIT,
                    () -> "no receipt pair for the peer's embeddings: " + peerJobs(one, peer, "embed"));
            assertEmbeddingClaims(peerJobs(one, peer, "embed"));
        }
    }

    /** Tools (a round trip), a JSON schema and think: for the local model, and the same for a peer's. */
    private static void assertFeatures(JsonNode out) {
        JsonNode trip = out.get("tool_round_trip");
        assertThat(trip.get("calls")).as("the model called the tool: %s", trip).hasSize(1);
        assertThat(trip.get("calls").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(trip.get("calls").get(0).get("function").get("arguments").get("city").isTextual()).isTrue();
        assertThat(trip.get("answer_calls")).as("after the tool's result the model answers").isEmpty();
        assertThat(trip.get("answer").asText()).startsWith(SimulatedBackend.BANNER);
        assertThat(out.get("json_schema").get("fair").isBoolean()).as("%s", out.get("json_schema")).isTrue();
        assertThat(out.get("json_schema").get("score").asInt()).isBetween(1, 5);
        assertThat(out.get("thinking").asText()).startsWith("[simulated thinking");
    }

    private static void assertStreamedAndWhole(JsonNode result, boolean simulatedText) {
        JsonNode streamed = result.get("streamed");
        JsonNode whole = result.get("whole");
        assertThat(streamed.get("done").asBoolean()).as("streamed ends with done: %s", result).isTrue();
        assertThat(streamed.get("done_reason").asText()).isEqualTo("stop");
        assertThat(streamed.get("roles")).extracting(JsonNode::asText).containsExactly("assistant");
        assertThat(streamed.get("content").asText()).isNotBlank();
        assertThat(whole.get("done").asBoolean()).isTrue();
        assertThat(whole.get("role").asText()).isEqualTo("assistant");
        assertThat(whole.get("content").asText()).isNotBlank();
        if (simulatedText) {
            assertThat(streamed.get("chunks").asInt()).as("tokens arrive as separate chunks").isEqualTo(TOKENS);
            assertThat(streamed.get("eval_count").asInt()).isEqualTo(TOKENS);
            assertThat(streamed.get("content").asText()).startsWith(SimulatedBackend.BANNER);
            assertThat(whole.get("content").asText()).isEqualTo(streamed.get("content").asText());
        }
    }

    /** The peer's claims, held by node 1, for chats node 1 asked of it directly (council stages excluded). */
    private static List<SignedEvent> peerChats(Node one, Node peer) {
        return peerJobs(one, peer, "chat");
    }

    /** The peer's claims for {@code PEER_ONLY} jobs of {@code stage} that node 1 asked of it, as node 1 holds them. */
    private static List<SignedEvent> peerJobs(Node one, Node peer, String stage) {
        try (Stream<SignedEvent> feed = one.store().feed(peer.id(), 1, 10_000)) {
            return feed.filter(e -> e.body() instanceof EventBody.ServiceProposed p && p.requester().equals(one.id())
                    && p.model().equals(PEER_ONLY) && p.stage().equals(stage)).toList();
        }
    }

    /** Embedding claims: input tokens only, priced by the embedding formula. */
    private static void assertEmbeddingClaims(List<SignedEvent> claims) {
        for (SignedEvent e : claims) {
            EventBody.ServiceProposed p = (EventBody.ServiceProposed) e.body();
            assertThat(p.completionTokens()).isZero();
            assertThat(p.promptTokens()).isPositive();
            assertThat(p.creditsMilli()).isEqualTo(Credits.embeddingMilli(p.parametersMillions(), p.promptTokens()));
        }
    }

    /** The vector the peer's own (simulated, deterministic) backend gives {@code text}. */
    private static double[] peerVector(Node peer, String text) {
        return TestCluster.await(peer.bridge().submit(InferenceRequest.embed(RequesterId.LOCAL, PEER_ONLY, List.of(text),
                Map.of()), TokenSink.NONE).result()).embeddings().get(0);
    }

    /** A vector as the client decoded it is the peer's, as float32 (what travels between nodes). */
    private static void assertVector(JsonNode got, double[] expected) {
        assertThat(got.size()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(got.get(i).asDouble()).as("element %d", i).isCloseTo((float) expected[i], within(1e-9));
        }
    }
}
