package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.bridge.ollama.FakeOllamaServer;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.ledger.event.EventBody;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.inference.RemoteInferenceClient;
import org.council.node.inference.RemoteReply;
import org.council.node.wire.RemoteFeatures;
import org.council.node.wire.RemoteRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools, a JSON schema, think, options and images asked of a peer's model through the signed
 * request; thinking and tool calls come back, and every job's receipt is still settled.
 */
class RemoteFeaturesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODEL = "simulated-llama-3b";
    private static final String WEATHER = new JsonArray().add(new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "get_weather").put("parameters", new JsonObject()
                    .put("type", "object").put("properties", new JsonObject().put("city", new JsonObject()
                            .put("type", "string"))).put("required", new JsonArray().add("city"))))).encode();

    @TempDir
    Path dir;

    @Test
    void aPeersSimulatedModelCallsToolsFollowsASchemaThinksAndSeesImages() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Node requester = cluster.start("requester", List.of(server.id().hex() + "@" + server.address()));
            TestCluster.awaitTrue(() -> requester.peers().link(server.id()).isPresent(), WAIT, () -> "not connected");
            RemoteInferenceClient client = requester.inference().client();
            List<ChatMessage> ask = List.of(ChatMessage.user("Weather in Paris?"));
            RemoteFeatures tools = new RemoteFeatures("", "", "", WEATHER);

            RemoteReply called = ask(client, server, ask, tools, TokenSink.NONE);
            assertThat(called.toolCalls()).hasSize(1);
            assertThat(called.toolCalls().get(0).name()).isEqualTo("get_weather");
            assertThat(called.toolCalls().get(0).arguments()).containsKey("city");
            List<ChatMessage> withResult = List.of(ask.get(0),
                    new ChatMessage("assistant", "", List.of(), called.toolCalls(), "", ""),
                    new ChatMessage("tool", "18 degrees, sunny", List.of(), List.of(), "get_weather", ""));
            RemoteReply answered = ask(client, server, withResult, tools, TokenSink.NONE);
            assertThat(answered.toolCalls()).isEmpty();
            assertThat(answered.text()).isNotBlank();

            String schema = new JsonObject().put("type", "object").put("properties", new JsonObject()
                    .put("fair", new JsonObject().put("type", "boolean"))).put("required", new JsonArray().add("fair"))
                    .encode();
            RemoteReply structured = ask(client, server, ask, new RemoteFeatures("", schema, "", ""), TokenSink.NONE);
            assertThat(new JsonObject(structured.text()).getValue("fair")).isInstanceOf(Boolean.class);

            List<String> thought = new CopyOnWriteArrayList<>();
            RemoteReply thinking = ask(client, server, ask, new RemoteFeatures("", "", "true", ""), new TokenSink() {
                @Override
                public void onToken(String text) {
                }

                @Override
                public void onThinking(String text) {
                    thought.add(text);
                }
            });
            assertThat(thinking.thinking()).isNotBlank().isEqualTo(String.join("", thought));

            String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
            RemoteReply seen = ask(client, server, List.of(new ChatMessage("user", "What is this?", List.of(png),
                    List.of(), "", "")), RemoteFeatures.NONE, TokenSink.NONE);
            assertThat(seen.text()).isNotBlank();

            cluster.awaitConverged(WAIT);
            long paid = 0;
            for (RemoteReply r : List.of(called, answered, structured, thinking, seen)) {
                paid += ((EventBody.ServiceProposed) r.proposal().body()).creditsMilli();
            }
            for (Node n : List.of(server, requester)) {
                assertThat(n.store().account(server.id()).earnedMilli()).isEqualTo(paid);
                assertThat(n.store().account(requester.id()).spentMilli()).isEqualTo(paid);
            }
        }
    }

    @Test
    void imagesTooLargeForAFrameAreRefusedBeforeSigning() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Node requester = cluster.start("requester", List.of(server.id().hex() + "@" + server.address()));
            TestCluster.awaitTrue(() -> requester.peers().link(server.id()).isPresent(), WAIT, () -> "not connected");
            String big = Base64.getEncoder().encodeToString(new byte[RemoteRequest.MAX_IMAGE_BYTES + 1]);

            assertThatThrownBy(() -> TestCluster.await(requester.inference().client().start(server.id(), MODEL,
                    List.of(new ChatMessage("user", "What is this?", List.of(big), List.of(), "", "")), 0, "chat",
                    RemoteFeatures.NONE, WAIT, TokenSink.NONE).reply()))
                    .hasMessageContaining("cannot be sent to a peer");
            assertThat(server.store().account(requester.id()).spentMilli()).isZero();
        }
    }

    @Test
    void optionsAndThinkReachThePeersOllama() {
        Vertx vertx = Vertx.vertx();
        FakeOllamaServer fake = TestCluster.await(new FakeOllamaServer(vertx).start());
        try (TestCluster cluster = new TestCluster(dir)) {
            InferenceConfig ollama = new InferenceConfig(List.of(fake.baseUrl()), null, SchedulerConfig.defaults(),
                    List.of());
            Node server = cluster.add(Node.start(NodeConfig.local(dir.resolve("server")).withInference(ollama)));
            Node requester = cluster.start("requester", List.of(server.id().hex() + "@" + server.address()));
            TestCluster.awaitTrue(() -> requester.peers().link(server.id()).isPresent(), WAIT, () -> "not connected");
            String model = FakeOllamaServer.MODELS.get(0);
            List<String> thought = new CopyOnWriteArrayList<>();

            RemoteReply reply = TestCluster.await(requester.inference().client().start(server.id(), model,
                    List.of(ChatMessage.user("hi")), 0, "chat",
                    new RemoteFeatures("{\"temperature\":0.3,\"seed\":7}", "", "true", ""), WAIT, new TokenSink() {
                        @Override
                        public void onToken(String text) {
                        }

                        @Override
                        public void onThinking(String text) {
                            thought.add(text);
                        }
                    }).reply());

            assertThat(reply.acknowledged()).as(String.valueOf(reply.refusal())).isTrue();
            assertThat(reply.text()).isEqualTo(String.join("", FakeOllamaServer.TOKENS));
            assertThat(String.join("", thought)).isEqualTo(String.join("", FakeOllamaServer.THINKING));
            JsonObject sent = fake.received().get(fake.received().size() - 1);
            assertThat(sent.getJsonObject("options").getDouble("temperature")).isEqualTo(0.3);
            assertThat(sent.getJsonObject("options").getInteger("seed")).isEqualTo(7);
            assertThat(sent.getValue("think")).isEqualTo(true);
        } finally {
            fake.close();
            vertx.close();
        }
    }

    private static RemoteReply ask(RemoteInferenceClient client, Node server, List<ChatMessage> messages,
                                   RemoteFeatures features, TokenSink sink) {
        RemoteReply reply = TestCluster.await(client.start(server.id(), MODEL, messages, 0, "chat", features, WAIT,
                sink).reply());
        assertThat(reply.acknowledged()).as(String.valueOf(reply.refusal())).isTrue();
        return reply;
    }
}
