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
 * The official {@code openai} npm client, unchanged, against the OpenAI API node 1 of a three-node
 * network serves under {@code /v1} on its Ollama-compatible port: the model list, chat completions
 * whole and streamed (with {@code stream_options.include_usage}) for a local model, a model only a
 * peer serves (which must leave receipt pairs in node 1's ledger) and {@code council}, text
 * completions, a refused {@code tool_choice: "required"} surfacing as the client's
 * {@code BadRequestError}; for the local model and for a peer's a tool-call round trip, JSON-schema
 * output and reasoning; embeddings for the local model and for the peer's (an embedding job with its
 * receipt, returning the peer's deterministic vectors).
 * Needs Node.js 20+ and npm on the PATH (CI has them): without them this test fails, it does not skip.
 */
class OpenAiClientIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String LOCAL = "simulated-llama-3b";
    private static final String PEER_ONLY = "simulated-qwen-7b";
    private static final int TOKENS = 24;

    @TempDir
    Path dir;

    @Test
    void theOfficialOpenAiClientReachesLocalPeerAndCouncilModelsThroughNodeOne() throws Exception {
        NpmProject client = new NpmProject("openai-client")
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

            JsonNode out = client.run(Duration.ofMinutes(3), "node", "check.mjs", one.ollamaUrl() + "/v1", LOCAL,
                    PEER_ONLY);

            assertThat(out.get("models").findValuesAsText("id"))
                    .containsExactlyInAnyOrder(LOCAL, PEER_ONLY, "simulated-mistral-7b", ChatGateway.COUNCIL_MODEL);
            assertThat(out.get("models").findValuesAsText("object")).containsOnly("model");
            assertThat(out.get("model").get("id").asText()).isEqualTo(LOCAL);
            assertStreamedAndWhole(out.get("local"), LOCAL, true);
            assertStreamedAndWhole(out.get("peer"), PEER_ONLY, true);
            assertStreamedAndWhole(out.get("council"), ChatGateway.COUNCIL_MODEL, false);
            assertThat(one.council().history(10)).as("model council ran a full council query each time").hasSize(2)
                    .allMatch(r -> r.stagesCompleted() == 3 && r.members().size() == 3);

            JsonNode completion = out.get("completion");
            assertThat(completion.get("object").asText()).isEqualTo("text_completion");
            assertThat(completion.get("text").asText()).startsWith(SimulatedBackend.BANNER);
            assertThat(completion.get("usage").get("completion_tokens").asInt()).as("max_tokens reached the model")
                    .isEqualTo(8);
            assertThat(out.get("streamed_completion").get("chunks").asInt()).isEqualTo(TOKENS);
            assertThat(out.get("streamed_completion").get("text").asText()).startsWith(SimulatedBackend.BANNER);

            JsonNode tools = out.get("tools");
            assertThat(tools.get("bad_request").asBoolean()).as("the client raised BadRequestError: %s", tools).isTrue();
            assertThat(tools.get("status").asInt()).isEqualTo(400);
            // tools are served now (tool_round_trip below): the refusal asserted here is tool_choice "required"
            assertThat(tools.get("param").asText()).isEqualTo("tool_choice");
            assertThat(tools.get("code").asText()).isEqualTo("unsupported_parameter");
            assertThat(tools.get("error").asText()).contains("not supported");
            assertFeatures(out);
            assertFeatures(out.get("peer_features"));
            assertThat(out.get("embeddings").get("count").asInt()).isEqualTo(2);
            assertThat(out.get("embeddings").get("dims").asInt()).as("decoded from base64 by the client").isEqualTo(384);
            JsonNode peerEmbeddings = out.get("peer_embeddings");
            assertThat(peerEmbeddings.get("count").asInt()).isEqualTo(2);
            assertThat(peerEmbeddings.get("model").asText()).isEqualTo(PEER_ONLY);
            assertThat(peerEmbeddings.get("usage").get("prompt_tokens").asInt()).isEqualTo(2);
            assertVector(peerEmbeddings.get("first"), peerVector(peer, "fair"));
            for (String missing : List.of("missing", "missing_model")) {
                assertThat(out.get(missing).get("not_found").asBoolean()).as("%s: %s", missing, out.get(missing)).isTrue();
                assertThat(out.get(missing).get("code").asText()).isEqualTo("model_not_found");
            }

            // the peer's chats, streamed completion and feature jobs (2 + 1 + 5) were remote jobs: claims and
            // node 1's acknowledgements
            TestCluster.awaitTrue(() -> peerChats(one, peer).size() == 8 && peerChats(one, peer).stream()
                    .allMatch(p -> CouncilIT.hasAck(one, one.id(), p)), WAIT,
                    () -> "no receipt pairs for the peer's jobs in node 1's ledger: " + peerChats(one, peer));
            // the peer's embeddings were an embedding job, paid per the formula
            TestCluster.awaitTrue(() -> peerJobs(one, peer, "embed").size() == 1 && peerJobs(one, peer, "embed").stream()
                    .allMatch(p -> CouncilIT.hasAck(one, one.id(), p)), WAIT,
                    () -> "no receipt pair for the peer's embeddings: " + peerJobs(one, peer, "embed"));
            assertEmbeddingClaims(peerJobs(one, peer, "embed"));
        }
    }

    /** A tool-call round trip (whole and streamed), a JSON schema and reasoning: local, and the same for a peer's model. */
    private static void assertFeatures(JsonNode out) {
        JsonNode trip = out.get("tool_round_trip");
        assertThat(trip.get("finish_reason").asText()).as("%s", trip).isEqualTo("tool_calls");
        assertThat(trip.get("name").asText()).isEqualTo("get_weather");
        assertThat(trip.get("arguments").get("city").isTextual()).isTrue();
        assertThat(trip.get("arguments").get("days").asInt()).isBetween(1, 3);
        assertThat(trip.get("streamed_names")).extracting(JsonNode::asText).containsExactly("get_weather");
        assertThat(trip.get("answer_finish_reason").asText()).isEqualTo("stop");
        assertThat(trip.get("answer").asText()).startsWith(SimulatedBackend.BANNER);
        assertThat(out.get("json_schema").get("fair").isBoolean()).as("%s", out.get("json_schema")).isTrue();
        assertThat(out.get("json_schema").get("reasons").isArray()).isTrue();
        assertThat(out.get("reasoning").asText()).startsWith("[simulated thinking");
    }

    private static void assertStreamedAndWhole(JsonNode result, String model, boolean simulatedText) {
        JsonNode streamed = result.get("streamed");
        JsonNode whole = result.get("whole");
        assertThat(streamed.get("objects")).extracting(JsonNode::asText).containsExactly("chat.completion.chunk");
        assertThat(streamed.get("ids").asInt()).as("one id per stream").isEqualTo(1);
        assertThat(streamed.get("roles")).extracting(JsonNode::asText).containsExactly("assistant");
        assertThat(streamed.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(streamed.get("content").asText()).isNotBlank();
        JsonNode usage = streamed.get("usage_last");
        assertThat(usage.isObject()).as("include_usage gives a last chunk with usage: %s", result).isTrue();
        assertThat(usage.get("total_tokens").asLong())
                .isEqualTo(usage.get("prompt_tokens").asLong() + usage.get("completion_tokens").asLong());
        assertThat(whole.get("object").asText()).isEqualTo("chat.completion");
        assertThat(whole.get("id").asText()).startsWith("chatcmpl-");
        assertThat(whole.get("model").asText()).isEqualTo(model);
        assertThat(whole.get("role").asText()).isEqualTo("assistant");
        assertThat(whole.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(whole.get("content").asText()).isNotBlank();
        if (simulatedText) {
            assertThat(streamed.get("chunks").asInt()).as("tokens arrive as separate chunks").isEqualTo(TOKENS);
            assertThat(usage.get("completion_tokens").asInt()).isEqualTo(TOKENS);
            assertThat(whole.get("usage").get("completion_tokens").asInt()).isEqualTo(TOKENS);
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
