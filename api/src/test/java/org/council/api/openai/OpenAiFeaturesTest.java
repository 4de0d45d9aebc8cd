package org.council.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.council.api.sim.Http;
import org.council.api.sim.SimulatedGateway;
import org.council.bridge.InferenceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /v1 tools, tool-call deltas, response_format, reasoning, images and embeddings, over a simulated model. */
@ExtendWith(VertxExtension.class)
class OpenAiFeaturesTest {

    private static final String M = SimulatedGateway.MODEL;
    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"strict\":true,\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"]}}}]";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SimulatedGateway gateway;
    private Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        gateway = new SimulatedGateway(vertx);
        http = new Http(vertx, v -> {
            Router r = Router.router(v);
            new OpenAiApi(gateway).mount(r);
            return r;
        });
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void aToolCallRoundTripWithStreamedDeltas() throws Exception {
        Http.Reply call = http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Weather?\"}],\"tool_choice\":\"auto\"," + TOOLS + "}");
        JsonNode choice = call.json().get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").isNull()).isTrue();
        JsonNode tc = choice.get("message").get("tool_calls").get(0);
        assertThat(tc.get("id").asText()).startsWith("call_");
        assertThat(tc.get("type").asText()).isEqualTo("function");
        assertThat(MAPPER.readTree(tc.get("function").get("arguments").asText()).get("city").isTextual()).isTrue();

        Http.Reply streamed = http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]," + TOOLS + "}");
        JsonNode delta = streamed.lines().get(0).get("choices").get(0).get("delta");
        assertThat(delta.get("role").asText()).isEqualTo("assistant");
        assertThat(delta.get("tool_calls").get(0).get("index").asInt()).isZero();
        assertThat(delta.get("tool_calls").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(streamed.last().get("choices").get(0).get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(streamed.raw()).endsWith("data: [DONE]\n\n");

        String id = tc.get("id").asText();
        Http.Reply answer = http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
                + "[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":"
                + "\"sunny\"}]," + TOOLS + "}");
        assertThat(answer.json().get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        InferenceRequest sent = gateway.requests.get(2);
        assertThat(sent.messages().get(1).toolCalls().get(0).arguments()).containsEntry("city", "Paris");
        assertThat(sent.messages().get(2).role()).isEqualTo("tool");
        assertThat(sent.messages().get(2).toolName()).isEqualTo("get_weather");

        http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tool_choice\":\"none\"," + TOOLS + "}");
        assertThat(gateway.requests.get(3).features().tools()).as("tool_choice none offers no tool").isEmpty();
    }

    @Test
    void responseFormatJsonSchemaAndJsonObject() throws Exception {
        Http.Reply r = http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"who\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\","
                + "\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},"
                + "\"required\":[\"n\"],\"additionalProperties\":false}}}}");
        JsonNode json = MAPPER.readTree(r.json().get("choices").get(0).get("message").get("content").asText());
        assertThat(json.get("n").isInt()).isTrue();

        http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_object\"}}");
        assertThat(gateway.requests.get(1).features().format()).isEqualTo("json");
    }

    @Test
    void reasoningEffortIsThinkAndStreamsAsReasoning() {
        Http.Reply r = http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"stream\":true,"
                + "\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"why\"}]}");
        assertThat(r.lines().get(0).get("choices").get(0).get("delta").get("reasoning").asText())
                .startsWith("[simulated thinking");
        assertThat(gateway.requests.get(0).features().think()).isEqualTo("low");
    }

    @Test
    void dataUrlImagesAreBase64Images() {
        Http.Reply r = http.post("/v1/chat/completions", "{\"model\":\"" + M + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"what\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"data:image/png;base64,aGVsbG8=\"}}]}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(gateway.requests.get(0).messages().get(0).images()).containsExactly("aGVsbG8=");
        assertThat(gateway.requests.get(0).messages().get(0).content()).isEqualTo("what");
    }

    @Test
    void embeddingsAsFloatsAndAsBase64() {
        Http.Reply floats = http.post("/v1/embeddings", "{\"model\":\"" + M + "\",\"input\":[\"a\",\"b\"],"
                + "\"encoding_format\":\"float\"}");
        assertThat(floats.json().get("object").asText()).isEqualTo("list");
        assertThat(floats.json().get("data")).hasSize(2);
        JsonNode first = floats.json().get("data").get(0);
        assertThat(first.get("object").asText()).isEqualTo("embedding");
        assertThat(first.get("embedding")).hasSize(384);
        assertThat(floats.json().get("usage").has("prompt_tokens")).isTrue();

        Http.Reply b64 = http.post("/v1/embeddings", "{\"model\":\"" + M + "\",\"input\":\"a\","
                + "\"encoding_format\":\"base64\"}");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b64.json().get("data").get(0).get("embedding")
                .asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(384 * 4);
        assertThat((double) bytes.getFloat(0)).isCloseTo(first.get("embedding").get(0).asDouble(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(http.post("/v1/embeddings", "{\"model\":\"" + M + "\",\"input\":\"a\",\"dimensions\":8}").status())
                .isEqualTo(400);
    }
}
