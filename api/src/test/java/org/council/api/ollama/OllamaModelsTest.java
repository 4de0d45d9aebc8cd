package org.council.api.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Ollama-compatible endpoint's probes and model listings, in Ollama's shapes. */
@ExtendWith(VertxExtension.class)
class OllamaModelsTest {

    private OllamaFixture api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = new OllamaFixture(vertx);
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void theRootSaysOllamaIsRunningToGetAndHead() {
        OllamaFixture.Reply get = api.get("/");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.raw()).isEqualTo("Ollama is running");
        assertThat(get.contentType()).startsWith("text/plain");

        OllamaFixture.Reply head = api.call(HttpMethod.HEAD, "/", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.raw()).isEmpty();
    }

    @Test
    void versionAndRunningModels() {
        assertThat(api.get("/api/version").json().get("version").asText()).isEqualTo("0.1.0-test");
        OllamaFixture.Reply ps = api.get("/api/ps");
        assertThat(ps.status()).isEqualTo(200);
        assertThat(ps.json().get("models").isArray()).isTrue();
        assertThat(ps.json().get("models")).isEmpty();
    }

    @Test
    void tagsListsEveryModelInOllamaShapeAndLabelsTheSimulatedOnes() {
        OllamaFixture.Reply tags = api.get("/api/tags");

        assertThat(tags.status()).isEqualTo(200);
        assertThat(tags.contentType()).startsWith("application/json");
        List<String> names = new ArrayList<>();
        for (JsonNode m : tags.json().get("models")) {
            names.add(m.get("name").asText());
            assertThat(m.get("model").asText()).isEqualTo(m.get("name").asText());
            assertThat(m.get("modified_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(m.get("size").isIntegralNumber()).isTrue();
            assertThat(m.get("digest").asText()).matches("[0-9a-f]{64}");
            assertThat(m.get("details").has("parameter_size")).isTrue();
            assertThat(m.get("details").has("quantization_level")).isTrue();
        }
        assertThat(names).containsExactly("llama3:latest", "simulated-qwen-7b", "council");
        JsonNode real = tags.json().get("models").get(0).get("details");
        assertThat(real.get("format").asText()).isEqualTo("gguf");
        assertThat(real.get("family").asText()).isEqualTo("llama");
        assertThat(real.get("parameter_size").asText()).isEqualTo("8.0B");
        assertThat(tags.json().get("models").get(0).get("size").asLong()).isEqualTo(4_661_224_676L);
        for (int i = 1; i < 3; i++) {
            JsonNode simulated = tags.json().get("models").get(i).get("details");
            assertThat(simulated.get("format").asText()).isEqualTo("simulated");
            assertThat(simulated.get("family").asText()).isEqualTo("simulated");
        }
    }

    @Test
    void showDescribesAKnownModelAndAcceptsItsNameWithoutTag() {
        OllamaFixture.Reply show = api.post("/api/show", "{\"model\":\"llama3\"}");

        assertThat(show.status()).isEqualTo(200);
        assertThat(show.json().get("details").get("family").asText()).isEqualTo("llama");
        assertThat(show.json().get("model_info").get("general.architecture").asText()).isEqualTo("llama");
        assertThat(show.json().get("model_info").get("general.parameter_count").asLong()).isEqualTo(8_000_000_000L);
        assertThat(show.json().get("capabilities")).extracting(JsonNode::asText).containsExactly("completion");
        assertThat(show.json().has("modelfile")).isTrue();

        OllamaFixture.Reply simulated = api.post("/api/show", "{\"name\":\"simulated-qwen-7b\"}");
        assertThat(simulated.json().get("model_info").get("council.simulated").asBoolean()).isTrue();
        assertThat(simulated.json().get("modelfile").asText()).contains("SIMULATED");
    }

    @Test
    void showAnswers404ForAnUnknownModelAnd400WithoutOne() {
        OllamaFixture.Reply unknown = api.post("/api/show", "{\"model\":\"nope\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("model \"nope\" not found, try pulling it first");

        OllamaFixture.Reply missing = api.post("/api/show", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isEqualTo("model is required");
    }

    @Test
    void unknownPathsAndMethodsAnswerAnOllamaError() {
        OllamaFixture.Reply missing = api.get("/api/pull");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().has("error")).isTrue();

        OllamaFixture.Reply wrongMethod = api.get("/api/chat");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().has("error")).isTrue();
    }
}
