package org.council.api.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequesterId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/chat} and {@code /api/generate}, streamed and not, in Ollama's wire format. */
@ExtendWith(VertxExtension.class)
class OllamaChatTest {

    private static final String HI = "{\"model\":\"llama3:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

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
    void aChatStreamsByDefaultAsNdjsonChunksThenTheDoneObject() {
        OllamaFixture.Reply r = api.post("/api/chat", HI + "}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/x-ndjson");
        assertThat(r.lines()).hasSize(3);
        for (JsonNode chunk : r.lines().subList(0, 2)) {
            assertThat(chunk.get("model").asText()).isEqualTo("llama3:latest");
            assertThat(chunk.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(chunk.get("message").get("role").asText()).isEqualTo("assistant");
            assertThat(chunk.get("done").asBoolean()).isFalse();
        }
        assertThat(r.lines().get(0).get("message").get("content").asText()).isEqualTo("Hel");
        assertThat(r.lines().get(1).get("message").get("content").asText()).isEqualTo("lo");
        JsonNode done = r.last();
        assertThat(done.get("done").asBoolean()).isTrue();
        assertThat(done.get("done_reason").asText()).isEqualTo("stop");
        assertThat(done.get("message").get("content").asText()).isEmpty();
        assertThat(done.get("total_duration").asLong()).isEqualTo(1_000);
        assertThat(done.get("load_duration").asLong()).isEqualTo(10);
        assertThat(done.get("prompt_eval_count").asLong()).isEqualTo(7);
        assertThat(done.get("prompt_eval_duration").asLong()).isEqualTo(20);
        assertThat(done.get("eval_count").asLong()).isEqualTo(2);
        assertThat(done.get("eval_duration").asLong()).isEqualTo(30);

        InferenceRequest sent = api.gateway.requests.get(0);
        assertThat(sent.stream()).isTrue();
        assertThat(sent.requester()).isEqualTo(RequesterId.LOCAL);
        assertThat(sent.kind()).isEqualTo(InferenceRequest.Kind.CHAT);
        assertThat(sent.messages()).containsExactly(ChatMessage.user("hi"));
    }

    @Test
    void aChatWithStreamFalseIsOneObject() {
        OllamaFixture.Reply r = api.post("/api/chat", HI + ",\"stream\":false}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.lines()).hasSize(1);
        assertThat(r.json().get("message").get("content").asText()).isEqualTo("Hello");
        assertThat(r.json().get("done").asBoolean()).isTrue();
        assertThat(r.json().get("eval_count").asLong()).isEqualTo(2);
        assertThat(api.gateway.requests.get(0).stream()).isFalse();
    }

    @Test
    void generateAnswersInTheResponseField() {
        OllamaFixture.Reply streamed = api.post("/api/generate", "{\"model\":\"simulated-qwen-7b\",\"prompt\":\"Why?\"}");
        assertThat(streamed.lines()).extracting(l -> l.get("response").asText()).containsExactly("Hel", "lo", "");
        assertThat(streamed.last().get("done").asBoolean()).isTrue();
        assertThat(streamed.last().has("message")).isFalse();
        InferenceRequest sent = api.gateway.requests.get(0);
        assertThat(sent.kind()).isEqualTo(InferenceRequest.Kind.GENERATE);
        assertThat(sent.prompt()).isEqualTo("Why?");

        OllamaFixture.Reply whole = api.post("/api/generate",
                "{\"model\":\"simulated-qwen-7b\",\"prompt\":\"Why?\",\"system\":\"Be brief.\",\"stream\":false}");
        assertThat(whole.json().get("response").asText()).isEqualTo("Hello");
        assertThat(api.gateway.requests.get(1).messages())
                .containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("Why?"));
    }

    @Test
    void optionsRolesAndTheUntaggedNameReachTheGateway() {
        OllamaFixture.Reply r = api.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,\"keep_alive\":\"5m\","
                + "\"options\":{\"temperature\":0.2,\"num_predict\":5,\"stop\":[\"\\n\"],\"seed\":null},\"messages\":["
                + "{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\",\"images\":[]},{\"role\":\"user\",\"content\":\"u2\"}]}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("model").asText()).as("answers echo the name asked").isEqualTo("llama3");
        InferenceRequest sent = api.gateway.requests.get(0);
        assertThat(sent.model()).isEqualTo("llama3:latest");
        assertThat(sent.options()).containsEntry("temperature", 0.2).containsEntry("num_predict", 5)
                .containsEntry("stop", List.of("\n")).doesNotContainKey("seed");
        assertThat(sent.maxTokens()).hasValue(5);
        assertThat(sent.messages()).containsExactly(ChatMessage.system("s"), ChatMessage.user("u"),
                ChatMessage.assistant("a"), ChatMessage.user("u2"));
    }

    @Test
    void anUnknownModelIs404InOllamasWords() {
        OllamaFixture.Reply r = api.post("/api/chat", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isEqualTo("model \"gpt-9\" not found, try pulling it first");
        assertThat(api.gateway.requests).isEmpty();
    }

    @Test
    void malformedRequestsAre400WithAnOllamaError() {
        assertBadRequest("/api/chat", "{not json", "invalid JSON");
        assertBadRequest("/api/chat", "", "missing request body");
        assertBadRequest("/api/chat", "[1]", "JSON object");
        assertBadRequest("/api/chat", "{\"messages\":[]}", "model is required");
        assertBadRequest("/api/generate", "{\"model\":\"llama3\",\"stream\":\"yes\"}", "stream must be true or false");
        assertBadRequest("/api/chat", "{\"model\":\"llama3\",\"messages\":{}}", "messages must be an array");
        assertBadRequest("/api/chat", "{\"model\":\"llama3\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
                "role must be");
        assertBadRequest("/api/chat", "{\"model\":\"llama3\",\"options\":[1]}", "options must be an object");
        assertThat(api.gateway.requests).isEmpty();
    }

    @Test
    void whatTheNodeCannotHonourIsRefusedNotIgnored() {
        // images, tools and format are served now (OllamaFeaturesApiTest); what is still refused in their place:
        assertBadRequest("/api/chat", "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"logprobs\":true}", "logprobs are not supported");
        assertBadRequest("/api/generate", "{\"model\":\"llama3\",\"prompt\":\"x\",\"template\":\"{{ .Prompt }}\"}",
                "template (a prompt template override) is not supported");
        assertBadRequest("/api/generate", "{\"model\":\"llama3\",\"prompt\":\"x\",\"raw\":true}",
                "raw (a prompt without the model's template) is not supported");
        assertBadRequest("/api/chat", "{\"model\":\"llama3\",\"messages\":[],\"format\":\"xml\"}",
                "format must be \"json\" or a JSON schema object");
        assertBadRequest("/api/generate", "{\"model\":\"llama3\",\"prompt\":\"x\",\"suffix\":\"y\"}",
                "suffix (fill-in-the-middle) is not supported");
        assertThat(api.gateway.requests).isEmpty();
    }

    @Test
    void nothingToGenerateLoadsTheModelAsOllamaDoes() {
        OllamaFixture.Reply chat = api.post("/api/chat", "{\"model\":\"llama3\",\"messages\":[]}");
        assertThat(chat.json().get("done_reason").asText()).isEqualTo("load");
        assertThat(chat.json().get("message").get("content").asText()).isEmpty();

        OllamaFixture.Reply generate = api.post("/api/generate", "{\"model\":\"llama3\"}");
        assertThat(generate.json().get("done").asBoolean()).isTrue();
        assertThat(generate.json().get("response").asText()).isEmpty();
        assertThat(api.gateway.requests).isEmpty();

        assertThat(api.post("/api/generate", "{\"model\":\"nope\"}").status()).isEqualTo(404);
    }

    @Test
    void aFullQueueBeforeTheFirstTokenIs503WithRetryAfter() {
        api.gateway.script(FakeChatGateway.Script.fail(BridgeException.overloaded("queue full", Duration.ofMillis(1500))));

        OllamaFixture.Reply r = api.post("/api/chat", HI + "}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("error").asText()).startsWith("server busy").contains("queue full");
        assertThat(r.retryAfter()).isEqualTo("2");
    }

    @Test
    void aFailureMidStreamEndsWithAnErrorLine() {
        api.gateway.script(FakeChatGateway.Script.fail(new BridgeException(ErrorCode.BACKEND_ERROR, "it broke"), "par"));

        OllamaFixture.Reply r = api.post("/api/chat", HI + "}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0).get("message").get("content").asText()).isEqualTo("par");
        assertThat(r.last().get("error").asText()).contains("it broke");
        assertThat(r.last().has("done")).isFalse();
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheJob(Vertx vertx) throws Exception {
        api.gateway.script(FakeChatGateway.Script.hang("first"));
        HttpClient http = vertx.createHttpClient();
        CompletableFuture<String> firstChunk = new CompletableFuture<>();

        http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(api.port)
                        .setURI("/api/chat"))
                .compose(req -> {
                    // handlers before the request goes out: set in send()'s callback they can miss
                    // the first chunk (Vert.x 5, eclipse-vertx/vert.x#5825)
                    req.response().onSuccess((HttpClientResponse res) -> res.handler(chunk -> {
                        if (firstChunk.complete(chunk.toString())) {
                            res.request().connection().close();
                        }
                    }));
                    return req.end(HI + "}");
                })
                .onFailure(firstChunk::completeExceptionally);

        assertThat(firstChunk.get(10, TimeUnit.SECONDS)).contains("\"content\":\"first\"");
        assertThat(api.gateway.cancelled.get(10, TimeUnit.SECONDS)).as("the job was cancelled").isNotNull();
        http.close();
    }

    private void assertBadRequest(String path, String body, String message) {
        OllamaFixture.Reply r = api.post(path, body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.json().get("error").asText()).as(body).contains(message);
    }
}
