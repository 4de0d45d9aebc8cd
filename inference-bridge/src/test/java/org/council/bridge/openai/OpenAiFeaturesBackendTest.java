package org.council.bridge.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequestFeatures;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tools, response_format, reasoning, images and embeddings against an OpenAI-compatible server. */
@ExtendWith(VertxExtension.class)
class OpenAiFeaturesBackendTest {

    private static final RequesterId BOB = RequesterId.of("bob");
    private static final Map<String, Object> TOOL = Map.of("type", "function", "function", Map.of("name", "get_weather",
            "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))));

    private FakeOpenAiServer server;
    private OpenAiBackend backend;

    @BeforeEach
    void start(Vertx vertx) {
        server = result(new FakeOpenAiServer(vertx).start());
        backend = new OpenAiBackend(vertx, OpenAiConfig.of("llamacpp", server.baseUrl() + "/v1"));
    }

    @AfterEach
    void stop() {
        result(backend.close());
        result(server.close());
    }

    private static InferenceRequest chat(List<ChatMessage> messages, boolean stream, RequestFeatures f) {
        return new InferenceRequest(BOB, FakeOpenAiServer.MODEL, InferenceRequest.Kind.CHAT, messages, "",
                Map.of("frequency_penalty", 0.5), stream, f);
    }

    @Test
    void streamedToolCallDeltasAreAssembledAndTheResultGoesBackWithItsId() {
        RequestFeatures tools = new RequestFeatures(List.of(TOOL), null, null, null, List.of(), List.of());
        for (boolean stream : List.of(true, false)) {
            InferenceResult r = result(backend.start(chat(List.of(ChatMessage.user("weather?")), stream, tools),
                    TokenSink.NONE).result());
            assertThat(r.toolCalls()).as("stream " + stream).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo("call_abc");
                assertThat(c.name()).isEqualTo("get_weather");
                assertThat(c.arguments()).isEqualTo(Map.of("city", "Paris"));
            });
            assertThat(r.doneReason()).isEqualTo("stop");
        }
        JsonObject sent = server.received().get(0);
        assertThat(sent.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
                .isEqualTo("get_weather");
        assertThat(sent.getDouble("frequency_penalty")).isEqualTo(0.5);

        InferenceResult call = result(backend.start(chat(List.of(ChatMessage.user("weather?")), false, tools),
                TokenSink.NONE).result());
        List<ChatMessage> after = List.of(ChatMessage.user("weather?"),
                new ChatMessage("assistant", "", List.of(), call.toolCalls(), "", ""),
                new ChatMessage("tool", "sunny", List.of(), List.of(), "get_weather", ""));
        InferenceResult answer = result(backend.start(chat(after, false, tools), TokenSink.NONE).result());
        assertThat(answer.text()).isEqualTo("Bonjour!");
        JsonObject last = server.received().get(3);
        JsonObject assistant = last.getJsonArray("messages").getJsonObject(1);
        assertThat(assistant.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
                .getString("arguments")).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(last.getJsonArray("messages").getJsonObject(2).getString("tool_call_id")).isEqualTo("call_abc");
    }

    @Test
    void formatsAndThinkBecomeResponseFormatAndReasoningEffort() {
        Map<String, Object> schema = Map.of("type", "object");
        result(backend.start(chat(List.of(ChatMessage.user("x")), false, new RequestFeatures(List.of(), schema, null,
                null, List.of(), List.of())), TokenSink.NONE).result());
        result(backend.start(chat(List.of(ChatMessage.user("x")), false, new RequestFeatures(List.of(), "json", null,
                null, List.of(), List.of())), TokenSink.NONE).result());
        List<String> thoughts = new CopyOnWriteArrayList<>();
        InferenceResult thought = result(backend.start(chat(List.of(ChatMessage.user("x")), true, new RequestFeatures(
                List.of(), null, "high", null, List.of(), List.of())), new TokenSink() {
                    @Override
                    public void onToken(String text) {
                    }

                    @Override
                    public void onThinking(String text) {
                        thoughts.add(text);
                    }
                }).result());

        JsonObject rf = server.received().get(0).getJsonObject("response_format");
        assertThat(rf.getString("type")).isEqualTo("json_schema");
        assertThat(rf.getJsonObject("json_schema").getJsonObject("schema").getString("type")).isEqualTo("object");
        assertThat(server.received().get(1).getJsonObject("response_format").getString("type")).isEqualTo("json_object");
        assertThat(server.received().get(2).getString("reasoning_effort")).isEqualTo("high");
        assertThat(thoughts).containsExactlyElementsOf(FakeOpenAiServer.REASONING);
        assertThat(thought.thinking()).isEqualTo("Hmm, easy.");
    }

    @Test
    void imagesGoAsDataUrlParts() {
        ChatMessage m = new ChatMessage("user", "what?", List.of("iVBORw0KGgo="), List.of(), "", "");
        result(backend.start(chat(List.of(m), false, RequestFeatures.NONE), TokenSink.NONE).result());

        JsonObject part = server.received().get(0).getJsonArray("messages").getJsonObject(0).getJsonArray("content")
                .getJsonObject(1);
        assertThat(part.getString("type")).isEqualTo("image_url");
        assertThat(part.getJsonObject("image_url").getString("url")).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
    }

    @Test
    void embeddingsComeBackInInputOrder() {
        InferenceResult r = result(backend.start(InferenceRequest.embed(BOB, FakeOpenAiServer.MODEL,
                List.of("a", "b", "c"), Map.of()), TokenSink.NONE).result());

        assertThat(r.embeddings()).hasSize(3);
        assertThat(r.embeddings().get(2)).containsExactly(0.5, -0.5, 2.0);
        assertThat(r.usage().promptTokens()).isEqualTo(4);
        assertThat(server.received().get(0).getString("encoding_format")).isEqualTo("float");
    }
}
