package org.council.bridge.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.result;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.council.bridge.BackendCall;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Flow control: a paused call reads nothing more, is not failed as stalled, and finishes once resumed. */
@ExtendWith(VertxExtension.class)
class OllamaPauseTest {

    private static final long STALL_MS = 1500;
    private FakeOllamaServer server;
    private OllamaBackend backend;

    @BeforeEach
    void start(Vertx vertx) {
        server = result(new FakeOllamaServer(vertx).start()).chunkDelayMs(20);
        backend = new OllamaBackend(vertx, OllamaConfig.defaults().withBaseUrl(server.baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(STALL_MS), Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        result(backend.close());
        result(server.close());
    }

    @Test
    void aPausedStreamOutlastsTheStallTimeoutAndFinishesWhenResumed(Vertx vertx) {
        List<String> tokens = new CopyOnWriteArrayList<>();
        AtomicReference<BackendCall> call = new AtomicReference<>();
        Promise<Void> firstToken = Promise.promise();
        InferenceRequest request = InferenceRequest.chat(RequesterId.of("alice"), FakeOllamaServer.MODELS.get(0),
                List.of(ChatMessage.user("Say hello")));
        call.set(backend.start(request, text -> {
            if (tokens.isEmpty()) {
                call.get().pause(); // the first token arrives on the event loop after start() returned
            }
            tokens.add(text);
            firstToken.tryComplete();
        }));
        result(firstToken.future());

        Promise<Void> waited = Promise.promise();
        vertx.setTimer(3 * STALL_MS, t -> waited.complete());
        result(waited.future()); // three stall timeouts paused: a stall would have failed the call by now
        assertThat(call.get().result().isComplete()).as(() -> "paused call completed: " + call.get().result().cause()
                + ", tokens " + tokens).isFalse();
        assertThat(tokens.size()).isLessThan(FakeOllamaServer.TOKENS.size());

        call.get().resume();
        InferenceResult done = result(call.get().result());
        assertThat(tokens).containsExactlyElementsOf(FakeOllamaServer.TOKENS);
        assertThat(done.text()).isEqualTo(String.join("", FakeOllamaServer.TOKENS));
    }
}
