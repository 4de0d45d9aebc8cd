package org.council.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v1/models}, refusals of what the node cannot honour, and failures, all in OpenAI's error shape. */
@ExtendWith(VertxExtension.class)
class OpenAiErrorsTest {

    private static final String HI = "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private OpenAiFixture api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = new OpenAiFixture(vertx);
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void modelsListsEveryModelOfTheGatewayAndEachByItsId() {
        OpenAiFixture.Reply r = api.get("/v1/models");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("object").asText()).isEqualTo("list");
        assertThat(r.json().get("data").findValuesAsText("id"))
                .containsExactly("llama3:latest", "simulated-qwen-7b", "council");
        JsonNode first = r.json().get("data").get(0);
        assertThat(first.get("object").asText()).isEqualTo("model");
        assertThat(first.get("created").asLong()).isPositive();
        assertThat(first.get("owned_by").asText()).isEqualTo("ollama");

        OpenAiFixture.Reply one = api.get("/v1/models/llama3:latest");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("id").asText()).isEqualTo("llama3:latest");
        assertThat(api.get("/v1/models/council").json().get("owned_by").asText()).isEqualTo("council");

        OpenAiFixture.Reply missing = api.get("/v1/models/gpt-4o");
        assertThat(missing.status()).isEqualTo(404);
        assertError(missing, "invalid_request_error", "model", "model_not_found");
        assertThat(missing.error().get("message").asText()).isEqualTo("The model 'gpt-4o' does not exist");
    }

    @Test
    void anUnknownModelIs404ModelNotFound() {
        OpenAiFixture.Reply r = api.post("/v1/chat/completions",
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.status()).isEqualTo(404);
        assertError(r, "invalid_request_error", "model", "model_not_found");
        assertThat(api.gateway.requests).isEmpty();
    }

    @Test
    void whatWouldChangeTheAnswerButCannotBeHonouredIsRefusedByName() {
        // tools, tool_choice auto, response_format, reasoning_effort, data: images and tool results are served
        // now (OpenAiFeaturesTest); what is still refused in their place:
        assertRefused(HI + ",\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"f\"}}]}", "tools[0].type");
        assertRefused(HI + ",\"tool_choice\":\"required\"}", "tool_choice");
        assertRefused(HI + ",\"functions\":[{\"name\":\"f\"}]}", "functions");
        assertRefused(HI + ",\"n\":2}", "n");
        assertRefused(HI + ",\"logprobs\":true}", "logprobs");
        assertRefused(HI + ",\"top_logprobs\":2}", "top_logprobs");
        assertRefused(HI + ",\"logit_bias\":{\"50256\":-100}}", "logit_bias");
        assertRefused(HI + ",\"audio\":{\"voice\":\"alloy\"}}", "audio");
        assertRefused("{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}", "messages[0].content[0].image_url.url");
        assertRefused("{\"model\":\"llama3\",\"messages\":[{\"role\":\"function\",\"content\":\"42\","
                + "\"name\":\"f\"}]}", "messages[0].role");
        assertRefused("{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"ann\"}]}",
                "messages[0].name");
        assertRefused("{\"model\":\"llama3\",\"prompt\":\"x\",\"echo\":true}", "echo", "/v1/completions");
        assertRefused("{\"model\":\"llama3\",\"prompt\":\"x\",\"suffix\":\"y\"}", "suffix", "/v1/completions");
        assertRefused("{\"model\":\"llama3\",\"prompt\":[\"a\",\"b\"]}", "prompt", "/v1/completions");

        OpenAiFixture.Reply unknown = api.post("/v1/chat/completions", HI + ",\"frobnicate\":1}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error().get("message").asText()).startsWith("Unrecognized request argument supplied: frobnicate");
        assertThat(unknown.error().get("param").asText()).isEqualTo("frobnicate");
        assertThat(api.gateway.requests).as("nothing refused reached a model").isEmpty();
    }

    @Test
    void malformedRequestsAre400() {
        for (String body : new String[] {"not json", "[]", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"llama3\"}", "{\"model\":\"llama3\",\"messages\":[]}", HI + ",\"temperature\":3}",
                HI + ",\"max_tokens\":0}", HI + ",\"stream\":\"yes\"}", HI + ",\"stop\":[1]}",
                "{\"model\":\"llama3\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}"}) {
            OpenAiFixture.Reply r = api.post("/v1/chat/completions", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.error().get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(r.error().get("message").asText()).isNotBlank();
        }
        assertThat(api.gateway.requests).isEmpty();
    }

    @Test
    void unknownPathsMethodsAndEmbeddingsAnswerInOpenAisShape() {
        OpenAiFixture.Reply path = api.get("/v1/assistants");
        assertThat(path.status()).isEqualTo(404);
        assertThat(path.error().get("message").asText()).isEqualTo("Invalid URL (GET /v1/assistants)");

        OpenAiFixture.Reply method = api.get("/v1/chat/completions");
        assertThat(method.status()).isEqualTo(404);
        assertThat(method.error().get("type").asText()).isEqualTo("invalid_request_error");

        // /v1/embeddings is served now (OpenAiFeaturesTest); token-array input is what it still refuses
        OpenAiFixture.Reply embeddings = api.post("/v1/embeddings", "{\"model\":\"llama3\",\"input\":[[1,2]]}");
        assertThat(embeddings.status()).isEqualTo(400);
        assertThat(embeddings.error().get("message").asText()).contains("not supported");
        assertThat(embeddings.error().get("code").asText()).isEqualTo("unsupported_parameter");

        assertThat(api.get("/api/nothing").json().get("error").isTextual()).as("Ollama's shape off /v1").isTrue();
    }

    @Test
    void aFullQueueIs429WithRetryAfterAndABusyBackend503() {
        api.gateway.script(ScriptedGateway.Script.fail(BridgeException.overloaded("queue full", Duration.ofMillis(1500))));
        OpenAiFixture.Reply full = api.post("/v1/chat/completions", HI + ",\"stream\":true}");
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.retryAfter()).isEqualTo("2");
        assertError(full, "rate_limit_error", null, "rate_limit_exceeded");

        api.gateway.script(ScriptedGateway.Script.fail(new BridgeException(ErrorCode.BACKEND_BUSY, "busy")));
        OpenAiFixture.Reply busy = api.post("/v1/chat/completions", HI + "}");
        assertThat(busy.status()).isEqualTo(503);
        assertError(busy, "server_error", null, "server_overloaded");

        api.gateway.script(ScriptedGateway.Script.fail(new BridgeException(ErrorCode.BACKEND_ERROR, "boom")));
        assertThat(api.post("/v1/completions", "{\"model\":\"llama3\",\"prompt\":\"x\"}").status()).isEqualTo(500);
    }

    @Test
    void aFailureMidStreamIsAnErrorEventAndNoDone() {
        api.gateway.script(ScriptedGateway.Script.fail(new BridgeException(ErrorCode.BACKEND_ERROR, "died"), "a"));
        OpenAiFixture.Reply r = api.post("/v1/chat/completions", HI + ",\"stream\":true}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.events()).hasSize(2);
        JsonNode error = api.parse(r.events().get(1)).get("error");
        assertThat(error.get("message").asText()).contains("died");
        assertThat(error.get("type").asText()).isEqualTo("server_error");
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheJob(Vertx vertx) throws Exception {
        api.gateway.script(ScriptedGateway.Script.hang("first"));
        HttpClient http = vertx.createHttpClient();
        CompletableFuture<String> firstChunk = new CompletableFuture<>();

        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(api.port)
                        .setURI("/v1/chat/completions"))
                .compose(req -> {
                    // handlers before the request goes out: set in send()'s callback they can miss
                    // the first chunk (Vert.x 5, eclipse-vertx/vert.x#5825)
                    req.response().onSuccess((HttpClientResponse res) -> res.handler(chunk -> {
                        if (firstChunk.complete(chunk.toString())) {
                            res.request().connection().close();
                        }
                    }));
                    return req.end(HI + ",\"stream\":true}");
                })
                .onFailure(firstChunk::completeExceptionally);

        assertThat(firstChunk.get(10, TimeUnit.SECONDS)).contains("\"content\":\"first\"");
        assertThat(api.gateway.cancelled.get(10, TimeUnit.SECONDS)).as("the job was cancelled").isNotNull();
        http.close();
    }

    private void assertRefused(String body, String param) {
        assertRefused(body, param, "/v1/chat/completions");
    }

    private void assertRefused(String body, String param, String path) {
        OpenAiFixture.Reply r = api.post(path, body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.error().get("param").asText()).as(body).isEqualTo(param);
        assertThat(r.error().get("code").asText()).as(body).isEqualTo("unsupported_parameter");
        assertThat(r.error().get("message").asText()).as(body).contains("not supported");
    }

    private static void assertError(OpenAiFixture.Reply r, String type, String param, String code) {
        JsonNode e = r.error();
        assertThat(e.get("type").asText()).isEqualTo(type);
        if (param == null) {
            assertThat(e.get("param").isNull()).isTrue();
        } else {
            assertThat(e.get("param").asText()).isEqualTo(param);
        }
        assertThat(e.get("code").asText()).isEqualTo(code);
    }
}
