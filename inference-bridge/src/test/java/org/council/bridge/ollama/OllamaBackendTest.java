package org.council.bridge.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.failure;
import static org.council.bridge.Await.result;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.Await;
import org.council.bridge.BackendCall;
import org.council.bridge.BridgeException;
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
class OllamaBackendTest {

    private static final RequesterId ALICE = RequesterId.of("alice");

    private FakeOllamaServer server;
    private OllamaBackend backend;

    @BeforeEach
    void start(Vertx vertx) {
        server = result(new FakeOllamaServer(vertx).start());
        backend = new OllamaBackend(vertx, OllamaConfig.defaults().withBaseUrl(server.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        result(backend.close());
        result(server.close());
    }

    private static InferenceRequest chat(String model) {
        return InferenceRequest.chat(ALICE, model, List.of(ChatMessage.user("Say hello")));
    }

    @Test
    void defaultsPointAtLocalOllamaWithOneParallelRequest() {
        assertThat(OllamaConfig.defaults().baseUrl()).isEqualTo("http://127.0.0.1:11434");
        assertThat(OllamaConfig.defaults().maxConcurrency()).isEqualTo(1);
    }

    @Test
    void tagsListModelsWithParameterSize() {
        List<ModelInfo> models = result(backend.models());

        assertThat(models).extracting(ModelInfo::name).containsExactlyElementsOf(FakeOllamaServer.MODELS);
        ModelInfo small = models.get(0);
        assertThat(small.parameterSize()).isEqualTo("3.2B");
        assertThat(small.parameterBillions()).hasValue(3.2);
        assertThat(small.family()).isEqualTo("llama");
        assertThat(small.quantization()).isEqualTo("Q4_K_M");
        assertThat(small.backend()).isEqualTo("ollama");
        assertThat(small.simulated()).isFalse();
    }

    @Test
    void showReturnsDetailsCapabilitiesAndContextLength() {
        OllamaShow show = result(backend.show("llama3.2:3b"));

        assertThat(show.parameterSize()).isEqualTo("3.2B");
        assertThat(show.capabilities()).containsExactly("completion", "tools");
        assertThat(show.contextLength()).isEqualTo(131072);
    }

    @Test
    void showOfUnknownModelIsNoSuchModel() {
        assertThat(failure(backend.show("nope")).code()).isEqualTo(ErrorCode.NO_SUCH_MODEL);
    }

    @Test
    void psAndVersion() {
        List<OllamaLoadedModel> loaded = result(backend.loaded());

        assertThat(loaded).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("llama3.2:3b");
            assertThat(m.sizeVramBytes()).isEqualTo(2_000_000_000L);
            assertThat(m.expiresAt()).isEqualTo("2026-01-01T00:05:00Z");
        });
        assertThat(result(backend.version())).isEqualTo("0.12.6");
    }

    @Test
    void streamedChatDeliversTokensAndUsageFromTheFinalObject() {
        List<String> tokens = new CopyOnWriteArrayList<>();

        InferenceResult r = result(backend.start(chat("llama3.2:3b")
                .withOptions(Map.of("temperature", 0.2)), tokens::add).result());

        assertThat(tokens).containsExactlyElementsOf(FakeOllamaServer.TOKENS);
        assertThat(r.text()).isEqualTo("Hello, world!");
        assertThat(r.doneReason()).isEqualTo("stop");
        assertThat(r.model()).isEqualTo("llama3.2:3b");
        assertThat(r.backend()).isEqualTo("ollama");
        assertThat(r.usage().promptTokens()).isEqualTo(26);
        assertThat(r.usage().completionTokens()).isEqualTo(5);
        assertThat(r.usage().totalDurationNanos()).isEqualTo(4_935_886_791L);
        assertThat(r.usage().loadDurationNanos()).isEqualTo(534_986_708L);
        assertThat(r.usage().promptEvalDurationNanos()).isEqualTo(107_345_000L);
        assertThat(r.usage().evalDurationNanos()).isEqualTo(4_289_432_000L);
        assertThat(server.received()).singleElement().satisfies(body -> {
            assertThat(body.getString("_path")).isEqualTo("/api/chat");
            assertThat(body.getBoolean("stream")).isTrue();
            assertThat(body.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("user");
            assertThat(body.getJsonObject("options").getDouble("temperature")).isEqualTo(0.2);
        });
    }

    @Test
    void nonStreamedChatDeliversTheWholeTextOnce() {
        List<String> tokens = new CopyOnWriteArrayList<>();

        InferenceResult r = result(backend.start(chat("llama3.2:3b").withStream(false), tokens::add).result());

        assertThat(tokens).containsExactly("Hello, world!");
        assertThat(r.text()).isEqualTo("Hello, world!");
        assertThat(r.usage().completionTokens()).isEqualTo(5);
        assertThat(server.received().get(0).getBoolean("stream")).isFalse();
    }

    @Test
    void streamedAndNonStreamedGenerate() {
        InferenceRequest gen = InferenceRequest.generate(ALICE, "qwen2.5:7b", "Why is the sky blue?");
        List<String> tokens = new CopyOnWriteArrayList<>();

        InferenceResult streamed = result(backend.start(gen, tokens::add).result());
        InferenceResult whole = result(backend.start(gen.withStream(false), t -> { }).result());

        assertThat(tokens).containsExactlyElementsOf(FakeOllamaServer.TOKENS);
        assertThat(streamed.text()).isEqualTo("Hello, world!");
        assertThat(whole.text()).isEqualTo("Hello, world!");
        assertThat(whole.usage().evalDurationNanos()).isEqualTo(4_289_432_000L);
        assertThat(server.received()).allSatisfy(b -> {
            assertThat(b.getString("_path")).isEqualTo("/api/generate");
            assertThat(b.getString("prompt")).isEqualTo("Why is the sky blue?");
        });
    }

    @Test
    void unknownModelIsNoSuchModel() {
        BridgeException e = failure(backend.start(chat("missing:1b"), t -> { }).result());

        assertThat(e.code()).isEqualTo(ErrorCode.NO_SUCH_MODEL);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void errorLineMidStreamFailsDespiteStatus200() {
        server.mode(FakeOllamaServer.Mode.ERROR_MID_STREAM);
        List<String> tokens = new CopyOnWriteArrayList<>();

        BridgeException e = failure(backend.start(chat("llama3.2:3b"), tokens::add).result());

        assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_ERROR);
        assertThat(e.getMessage()).contains("unexpected EOF");
        assertThat(tokens).containsExactly("Hel");
    }

    @Test
    void busyServerIsRetryableBackendBusy() {
        server.mode(FakeOllamaServer.Mode.BUSY);

        BridgeException e = failure(backend.start(chat("llama3.2:3b"), t -> { }).result());

        assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_BUSY);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("server busy");
    }

    @Test
    void refusedConnectionIsRetryableBackendUnreachable(Vertx vertx) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        OllamaBackend nowhere = new OllamaBackend(vertx,
                OllamaConfig.defaults().withBaseUrl("http://127.0.0.1:" + closedPort));

        BridgeException e = failure(nowhere.start(chat("llama3.2:3b"), t -> { }).result());
        BridgeException tags = failure(nowhere.models());

        assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNREACHABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(tags.code()).isEqualTo(ErrorCode.BACKEND_UNREACHABLE);
        result(nowhere.close());
    }

    @Test
    void stallPastTheTimeoutFailsWithTimeoutAndClosesTheConnection() {
        server.mode(FakeOllamaServer.Mode.STALL);
        List<String> tokens = new CopyOnWriteArrayList<>();

        BridgeException e = failure(backend.start(chat("llama3.2:3b"), tokens::add).result());

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.getMessage()).contains("sent nothing for"); // the stall timeout, not the 5 s total
        assertThat(tokens).containsExactly("Hel");
        Await.until(() -> server.connectionsClosed() == server.connectionsOpened() && server.inFlight() == 0);
    }

    @Test
    void cancelClosesTheUpstreamConnection() {
        server.chunkDelayMs(100);
        List<String> tokens = new CopyOnWriteArrayList<>();
        BackendCall call = backend.start(chat("llama3.2:3b"), tokens::add);
        Await.until(() -> !tokens.isEmpty());
        assertThat(server.inFlight()).isEqualTo(1);

        call.cancel();

        assertThat(failure(call.result()).code()).isEqualTo(ErrorCode.CANCELLED);
        Await.until(() -> server.connectionsClosed() == 1 && server.inFlight() == 0);
        assertThat(tokens).hasSizeLessThan(FakeOllamaServer.TOKENS.size());
    }
}
