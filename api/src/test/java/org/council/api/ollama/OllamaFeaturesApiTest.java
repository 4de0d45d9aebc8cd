package org.council.api.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.council.api.sim.Http;
import org.council.api.sim.SimulatedGateway;
import org.council.bridge.InferenceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tools, format, think, images, keep_alive, embeddings, show capabilities and HEAD, over a simulated model. */
@ExtendWith(VertxExtension.class)
class OllamaFeaturesApiTest {

    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
            + "{\"type\":\"string\"},\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3}},"
            + "\"required\":[\"city\",\"days\"]}}}]";
    private static final String M = SimulatedGateway.MODEL;

    private SimulatedGateway gateway;
    private Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        gateway = new SimulatedGateway(vertx);
        http = new Http(vertx, new OllamaApi(gateway, "0.1.0-test")::router);
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void aToolCallRoundTripStreamedAndNot() {
        Http.Reply call = http.post("/api/chat", "{\"model\":\"" + M + "\",\"stream\":false,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Weather?\"}]," + TOOLS + "}");
        assertThat(call.status()).isEqualTo(200);
        JsonNode tc = call.json().get("message").get("tool_calls").get(0).get("function");
        assertThat(tc.get("name").asText()).isEqualTo("get_weather");
        assertThat(tc.get("arguments").get("city").isTextual()).isTrue();
        assertThat(tc.get("arguments").get("days").asInt()).isBetween(1, 3);

        Http.Reply streamed = http.post("/api/chat", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Weather?\"}]," + TOOLS + "}");
        assertThat(streamed.lines()).filteredOn(l -> l.path("message").has("tool_calls")).hasSize(1);
        assertThat(streamed.last().get("done").asBoolean()).isTrue();

        Http.Reply answer = http.post("/api/chat", "{\"model\":\"" + M + "\",\"stream\":false,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                + "[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\",\"days\":1}}}]},"
                + "{\"role\":\"tool\",\"content\":\"sunny\",\"tool_name\":\"get_weather\"}]," + TOOLS + "}");
        assertThat(answer.json().get("message").has("tool_calls")).isFalse();
        assertThat(answer.json().get("message").get("content").asText()).contains("simulated");
        InferenceRequest sent = gateway.requests.get(2);
        assertThat(sent.messages().get(1).toolCalls().get(0).arguments()).isEqualTo(Map.of("city", "Paris", "days", 1));
        assertThat(sent.messages().get(2).toolName()).isEqualTo("get_weather");
        assertThat(sent.features().tools()).hasSize(1);
    }

    @Test
    void aJsonSchemaFormatYieldsJsonUnderIt() throws Exception {
        Http.Reply r = http.post("/api/generate", "{\"model\":\"" + M + "\",\"stream\":false,\"prompt\":\"Who?\","
                + "\"format\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":"
                + "{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"]}}");
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.json().get("response").asText());
        assertThat(json.get("name").isTextual()).isTrue();
        assertThat(json.get("age").isInt()).isTrue();

        http.post("/api/chat", "{\"model\":\"" + M + "\",\"format\":\"json\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}");
        assertThat(gateway.requests.get(1).features().format()).isEqualTo("json");
    }

    @Test
    void thinkStreamsMessageThinkingAndReturnsItWhole() {
        Http.Reply streamed = http.post("/api/chat", "{\"model\":\"" + M + "\",\"think\":true,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"why\"}]}");
        assertThat(streamed.lines().get(0).get("message").get("thinking").asText()).startsWith("[simulated thinking");
        assertThat(streamed.lines()).anySatisfy(l -> assertThat(l.path("message").path("content").asText())
                .contains("simulated answer"));

        Http.Reply whole = http.post("/api/generate", "{\"model\":\"" + M + "\",\"think\":\"high\",\"stream\":false,"
                + "\"prompt\":\"why\"}");
        assertThat(whole.json().get("thinking").asText()).startsWith("[simulated thinking");
        assertThat(gateway.requests.get(1).features().think()).isEqualTo("high");
        assertThat(http.post("/api/chat", "{\"model\":\"" + M + "\",\"think\":\"max\",\"messages\":[]}").status())
                .isEqualTo(400);
    }

    @Test
    void imagesKeepAliveAndEveryOptionReachTheBackend() {
        Http.Reply r = http.post("/api/chat", "{\"model\":\"" + M + "\",\"stream\":false,\"keep_alive\":\"10m\","
                + "\"options\":{\"num_ctx\":4096,\"top_k\":5,\"mirostat\":1},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"what is it\",\"images\":[\"aGVsbG8=\"]}]}");
        assertThat(r.status()).isEqualTo(200);
        InferenceRequest sent = gateway.requests.get(0);
        assertThat(sent.messages().get(0).images()).containsExactly("aGVsbG8=");
        assertThat(sent.features().keepAlive()).isEqualTo("10m");
        assertThat(sent.options()).containsEntry("num_ctx", 4096).containsEntry("top_k", 5).containsEntry("mirostat", 1);
        assertThat(http.post("/api/generate", "{\"model\":\"" + M + "\",\"prompt\":\"x\",\"images\":[\"not base64!\"]}")
                .status()).isEqualTo(400);
    }

    @Test
    void anImageBodyPastTheLimitIs413() {
        String huge = "A".repeat((int) OllamaApi.MAX_BODY);
        Http.Reply r = http.post("/api/generate", "{\"model\":\"" + M + "\",\"prompt\":\"x\",\"images\":[\"" + huge
                + "\"]}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void embedAndTheLegacyEmbeddings() {
        Http.Reply r = http.post("/api/embed", "{\"model\":\"" + M + "\",\"input\":[\"a\",\"b c\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("model").asText()).isEqualTo(M);
        assertThat(r.json().get("embeddings")).hasSize(2);
        assertThat(r.json().get("embeddings").get(0)).hasSize(384);
        assertThat(r.json().has("total_duration") && r.json().has("load_duration")
                && r.json().has("prompt_eval_count")).isTrue();

        Http.Reply one = http.post("/api/embed", "{\"model\":\"" + M + "\",\"input\":\"a\"}");
        assertThat(one.json().get("embeddings").get(0)).isEqualTo(r.json().get("embeddings").get(0));

        Http.Reply legacy = http.post("/api/embeddings", "{\"model\":\"" + M + "\",\"prompt\":\"a\"}");
        assertThat(legacy.json().get("embedding")).isEqualTo(r.json().get("embeddings").get(0));
        assertThat(http.post("/api/embed", "{\"model\":\"" + M + "\"}").status()).isEqualTo(400);
        assertThat(http.post("/api/embed", "{\"model\":\"" + M + "\",\"input\":\"a\",\"dimensions\":8}").status())
                .isEqualTo(400);
    }

    @Test
    void showReportsTheBackendsCapabilitiesAndHeadAnswers() {
        Http.Reply show = http.post("/api/show", "{\"model\":\"" + M + "\"}");
        List<String> caps = StreamSupport.stream(show.json().get("capabilities").spliterator(), false)
                .map(JsonNode::asText).toList();
        assertThat(caps).contains("completion", "tools", "thinking", "embedding");
        for (String path : List.of("/", "/api/tags", "/api/version")) {
            assertThat(http.call(HttpMethod.HEAD, path, null).status()).as(path).isEqualTo(200);
        }
    }
}
