package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.council.api.ChatGateway;
import org.council.bridge.openai.FakeOpenAiServer;
import org.council.bridge.scheduler.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose only backend is an OpenAI-compatible server (the bridge's fake, standing in for
 * llama.cpp's {@code llama-server}, vLLM or LM Studio), configured as {@code openai.urls} is: it
 * lists that model and serves it through its Ollama-compatible endpoint, both Ollama's
 * {@code /api/chat} and OpenAI's {@code /v1/chat/completions}, sending the configured key.
 */
class OpenAiBackendIT {

    @TempDir
    Path dir;

    @Test
    void aNodeFrontsAnOpenAiCompatibleServer() {
        Vertx vertx = Vertx.vertx();
        FakeOpenAiServer fake = TestCluster.await(new FakeOpenAiServer(vertx).start());
        WebClient web = WebClient.create(vertx);
        try (TestCluster cluster = new TestCluster(dir)) {
            InferenceConfig inference = new InferenceConfig(List.of(), null, SchedulerConfig.defaults(), List.of())
                    .withOpenAi(List.of(fake.baseUrl() + "/v1"), "sk-council-test");
            assertThat(inference.toString()).doesNotContain("sk-council-test");
            Node node = cluster.add(Node.start(NodeConfig.local(dir.resolve("node")).withInference(inference)));
            String base = node.ollamaUrl();

            JsonObject tags = TestCluster.await(web.getAbs(base + "/api/tags").send()).bodyAsJsonObject();
            assertThat(tags.getJsonArray("models").stream().map(m -> ((JsonObject) m).getString("name")))
                    .containsExactlyInAnyOrder(FakeOpenAiServer.MODEL, ChatGateway.COUNCIL_MODEL);

            JsonObject chat = TestCluster.await(web.postAbs(base + "/api/chat").sendJsonObject(new JsonObject()
                    .put("model", FakeOpenAiServer.MODEL).put("stream", false)
                    .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
                    .put("options", new JsonObject().put("temperature", 0.3)))).bodyAsJsonObject();
            assertThat(chat.getJsonObject("message").getString("content"))
                    .isEqualTo(String.join("", FakeOpenAiServer.TOKENS));
            assertThat(chat.getLong("eval_count")).isEqualTo(3);

            HttpResponse<Buffer> sse = TestCluster.await(web.postAbs(base + "/v1/chat/completions")
                    .sendJsonObject(new JsonObject().put("model", FakeOpenAiServer.MODEL).put("stream", true)
                            .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                                    .put("content", "hi")))));
            assertThat(sse.statusCode()).isEqualTo(200);
            List<String> contents = Arrays.stream(sse.bodyAsString().split("\n\n"))
                    .map(e -> e.substring("data: ".length())).filter(e -> e.startsWith("{"))
                    .map(JsonObject::new).flatMap(o -> o.getJsonArray("choices").stream())
                    .map(c -> ((JsonObject) c).getJsonObject("delta").getString("content"))
                    .filter(c -> c != null).toList();
            assertThat(contents).isEqualTo(FakeOpenAiServer.TOKENS);
            assertThat(sse.bodyAsString()).endsWith("data: [DONE]\n\n");

            assertThat(fake.received()).hasSize(2);
            assertThat(fake.received().get(0).getDouble("temperature")).as("options reach the server").isEqualTo(0.3);
            assertThat(fake.authorizations()).isNotEmpty().containsOnly("Bearer sk-council-test");
        } finally {
            web.close();
            TestCluster.await(vertx.close());
        }
    }
}
