package org.council.bridge.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.failure;
import static org.council.bridge.Await.result;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequesterId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OpenAiBackendTest {

    private FakeOpenAiServer server;
    private OpenAiBackend backend;

    @BeforeEach
    void start(Vertx vertx) {
        server = result(new FakeOpenAiServer(vertx).start());
        backend = new OpenAiBackend(vertx, OpenAiConfig.of("llamacpp", server.baseUrl() + "/v1").withApiKey("sk-test"));
    }

    @AfterEach
    void stop() {
        result(backend.close());
        result(server.close());
    }

    private static InferenceRequest chat(String model) {
        return InferenceRequest.chat(RequesterId.of("bob"), model, List.of(ChatMessage.system("Be brief"),
                ChatMessage.user("Greet me")));
    }

    @Test
    void listsModels() {
        List<ModelInfo> models = result(backend.models());

        assertThat(models).extracting(ModelInfo::name).containsExactly(FakeOpenAiServer.MODEL);
        assertThat(server.authorizations()).containsExactly("Bearer sk-test");
    }

    @Test
    void streamsServerSentEventsWithUsage() {
        List<String> tokens = new CopyOnWriteArrayList<>();

        InferenceResult r = result(backend.start(chat(FakeOpenAiServer.MODEL)
                .withOptions(Map.of("num_predict", 3, "temperature", 0.5, "mirostat", 1)), tokens::add).result());

        assertThat(tokens).containsExactlyElementsOf(FakeOpenAiServer.TOKENS);
        assertThat(r.text()).isEqualTo("Bonjour!");
        assertThat(r.doneReason()).isEqualTo("length");
        assertThat(r.usage().promptTokens()).isEqualTo(12);
        assertThat(r.usage().completionTokens()).isEqualTo(3);
        assertThat(r.backend()).isEqualTo("llamacpp");
        assertThat(server.received()).singleElement().satisfies(body -> {
            assertThat(body.getBoolean("stream")).isTrue();
            assertThat(body.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
            assertThat(body.getInteger("max_tokens")).isEqualTo(3);
            assertThat(body.getDouble("temperature")).isEqualTo(0.5);
            assertThat(body.containsKey("mirostat")).isFalse();
            assertThat(body.getJsonArray("messages")).hasSize(2);
        });
    }

    @Test
    void nonStreamedCompletionAndGenerateAsOneUserMessage() {
        InferenceRequest gen = InferenceRequest.generate(RequesterId.of("bob"), FakeOpenAiServer.MODEL, "Hi")
                .withStream(false);

        InferenceResult r = result(backend.start(gen, t -> { }).result());

        assertThat(r.text()).isEqualTo("Bonjour!");
        assertThat(r.usage().totalTokens()).isEqualTo(15);
        assertThat(server.received().get(0).getJsonArray("messages").getJsonObject(0).getString("role"))
                .isEqualTo("user");
    }

    @Test
    void unknownModelIsNoSuchModel() {
        assertThat(failure(backend.start(chat("gpt-9"), t -> { }).result()).code())
                .isEqualTo(ErrorCode.NO_SUCH_MODEL);
    }
}
