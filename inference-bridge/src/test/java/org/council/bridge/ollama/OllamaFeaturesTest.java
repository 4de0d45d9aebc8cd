package org.council.bridge.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequestFeatures;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tools, format, think, images, keep_alive, embeddings and capabilities, in Ollama's wire shapes. */
@ExtendWith(VertxExtension.class)
class OllamaFeaturesTest {

    private static final RequesterId ALICE = RequesterId.of("alice");
    private static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of(
            "name", "get_weather", "description", "The weather in a city",
            "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                    "required", List.of("city"))));

    private FakeOllamaServer server;
    private OllamaBackend backend;

    @BeforeEach
    void start(Vertx vertx) {
        server = result(new FakeOllamaServer(vertx).start());
        backend = new OllamaBackend(vertx, OllamaConfig.defaults().withBaseUrl(server.baseUrl())
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        result(backend.close());
        result(server.close());
    }

    private static InferenceRequest chat(List<ChatMessage> messages, RequestFeatures f) {
        return new InferenceRequest(ALICE, "qwen2.5:7b", InferenceRequest.Kind.CHAT, messages, "",
                Map.of("num_ctx", 8192, "top_k", 20, "repeat_penalty", 1.1), true, f);
    }

    @Test
    void capabilitiesComeFromEachModelsShow() {
        List<ModelInfo> models = result(backend.models());

        assertThat(models.get(0).capabilities()).containsExactly("completion", "tools");
        assertThat(models.get(1).capabilities()).containsExactly("completion", "tools", "thinking", "vision");
    }

    @Test
    void toolCallRoundTripInOllamasShapes() {
        RequestFeatures tools = new RequestFeatures(List.of(WEATHER), null, null, "10m", List.of(), List.of());
        InferenceResult call = result(backend.start(chat(List.of(ChatMessage.user("Weather in Paris?")), tools),
                TokenSink.NONE).result());

        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo(Map.of("city", "Paris"));
        });
        JsonObject sent = server.received().get(0);
        assertThat(sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
                .isEqualTo("get_weather");
        assertThat(sent.getString("keep_alive")).isEqualTo("10m");
        assertThat(sent.getJsonObject("options").getInteger("num_ctx")).as("every option is passed").isEqualTo(8192);
        assertThat(sent.getJsonObject("options").getInteger("top_k")).isEqualTo(20);

        List<ChatMessage> followUp = List.of(ChatMessage.user("Weather in Paris?"),
                new ChatMessage("assistant", "", List.of(), call.toolCalls(), "", ""),
                new ChatMessage("tool", "18 degrees, sunny", List.of(), List.of(), "get_weather", ""));
        InferenceResult answer = result(backend.start(chat(followUp, tools), TokenSink.NONE).result());

        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.text()).isEqualTo("Hello, world!");
        JsonObject second = server.received().get(1);
        JsonObject assistant = second.getJsonArray("messages").getJsonObject(1);
        assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").encode())
                .isEqualTo("{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}");
        JsonObject tool = second.getJsonArray("messages").getJsonObject(2);
        assertThat(tool.getString("role")).isEqualTo("tool");
        assertThat(tool.getString("tool_name")).isEqualTo("get_weather");
    }

    @Test
    void thinkStreamsThinkingApartFromTheAnswer() {
        List<String> thoughts = new CopyOnWriteArrayList<>();
        List<String> tokens = new CopyOnWriteArrayList<>();
        TokenSink sink = new TokenSink() {
            @Override
            public void onToken(String text) {
                tokens.add(text);
            }

            @Override
            public void onThinking(String text) {
                thoughts.add(text);
            }
        };
        RequestFeatures think = new RequestFeatures(List.of(), null, "high", null, List.of(), List.of());
        InferenceResult r = result(backend.start(chat(List.of(ChatMessage.user("Why?")), think), sink).result());

        assertThat(thoughts).containsExactlyElementsOf(FakeOllamaServer.THINKING);
        assertThat(tokens).containsExactlyElementsOf(FakeOllamaServer.TOKENS);
        assertThat(r.thinking()).isEqualTo("Let me think.");
        assertThat(server.received().get(0).getString("think")).isEqualTo("high");

        InferenceRequest generate = new InferenceRequest(ALICE, "qwen2.5:7b", InferenceRequest.Kind.GENERATE,
                List.of(), "Why?", Map.of(), false, new RequestFeatures(List.of(), null, true, null, List.of(), List.of()));
        assertThat(result(backend.start(generate, TokenSink.NONE).result()).thinking()).isEqualTo("Let me think.");
    }

    @Test
    void formatAndImagesArePassedAsOllamaTakesThem() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("n", Map.of("type", "integer")));
        ChatMessage withImage = new ChatMessage("user", "What is this?", List.of("aGVsbG8="), List.of(), "", "");
        result(backend.start(chat(List.of(withImage), new RequestFeatures(List.of(), schema, null, null, List.of(),
                List.of())), TokenSink.NONE).result());
        result(backend.start(new InferenceRequest(ALICE, "qwen2.5:7b", InferenceRequest.Kind.GENERATE, List.of(),
                "x", Map.of(), true, new RequestFeatures(List.of(), "json", null, null, List.of("aGk="), List.of())),
                TokenSink.NONE).result());

        JsonObject chat = server.received().get(0);
        assertThat(chat.getJsonObject("format").encode()).isEqualTo(new JsonObject(schema).encode());
        assertThat(chat.getJsonArray("messages").getJsonObject(0).getJsonArray("images").getString(0))
                .isEqualTo("aGVsbG8=");
        JsonObject generate = server.received().get(1);
        assertThat(generate.getString("format")).isEqualTo("json");
        assertThat(generate.getJsonArray("images").getString(0)).isEqualTo("aGk=");
    }

    @Test
    void embedReturnsOneVectorPerInput() {
        InferenceResult r = result(backend.start(InferenceRequest.embed(ALICE, "llama3.2:3b", List.of("a", "bcd"),
                Map.of()), TokenSink.NONE).result());

        assertThat(r.embeddings()).hasSize(2);
        assertThat(r.embeddings().get(1)).containsExactly(0.2, -0.2, 0.3, 3.0);
        assertThat(r.usage().promptTokens()).isEqualTo(8);
        JsonObject sent = server.received().get(0);
        assertThat(sent.getString("_path")).isEqualTo("/api/embed");
        assertThat(sent.getJsonArray("input").getList()).containsExactly("a", "bcd");
    }

    @Test
    void toolCallRecordKeepsArgumentsPlain() {
        ToolCall c = new ToolCall(null, "f", Map.of("a", List.of(1, 2)));
        assertThat(c.id()).isEmpty();
        assertThat(c.arguments()).containsEntry("a", List.of(1, 2));
    }
}
