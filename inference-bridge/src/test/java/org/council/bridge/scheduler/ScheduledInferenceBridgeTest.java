package org.council.bridge.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.failure;
import static org.council.bridge.Await.result;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.Await;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.ModelInfo;
import org.council.bridge.QueueState;
import org.council.bridge.RequesterId;
import org.council.bridge.ollama.FakeOllamaServer;
import org.council.bridge.ollama.OllamaBackend;
import org.council.bridge.ollama.OllamaConfig;
import org.council.bridge.simulated.SimulatedBackend;
import org.council.bridge.simulated.SimulatedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ScheduledInferenceBridgeTest {

    private static final RequesterId PEER = RequesterId.of("ab12");
    private static final String MODEL = "llama3.2:3b";

    private FakeOllamaServer server;
    private ScheduledInferenceBridge bridge;

    @BeforeEach
    void start(Vertx vertx) {
        server = result(new FakeOllamaServer(vertx).chunkDelayMs(20).start());
        bridge = bridge(vertx, SchedulerConfig.defaults());
    }

    private ScheduledInferenceBridge bridge(Vertx vertx, SchedulerConfig config) {
        return bridge(vertx, config, SchedulerListener.NONE);
    }

    private ScheduledInferenceBridge bridge(Vertx vertx, SchedulerConfig config, SchedulerListener listener) {
        ScheduledInferenceBridge b = new ScheduledInferenceBridge(List.of(
                new OllamaBackend(vertx, OllamaConfig.defaults().withBaseUrl(server.baseUrl())),
                new SimulatedBackend(vertx, SimulatedConfig.defaults().withRate(1000, Duration.ofMillis(1)))),
                r -> r.value().startsWith("ab") ? 5.0 : 0.0, config, System::nanoTime, listener);
        result(b.models());
        return b;
    }

    @AfterEach
    void stop() {
        result(bridge.close());
        result(server.close());
    }

    private static InferenceRequest chat(RequesterId who, String model) {
        return InferenceRequest.chat(who, model, List.of(ChatMessage.user("hi")));
    }

    @Test
    void listsModelsOfEveryBackendAndRoutesByModel() {
        List<ModelInfo> models = result(bridge.models());

        assertThat(models).extracting(ModelInfo::name)
                .contains("llama3.2:3b", "qwen2.5:7b", "simulated-llama-3b");
        assertThat(result(bridge.submit(chat(PEER, "simulated-llama-3b"), null).result()).backend())
                .isEqualTo("simulated");
        assertThat(result(bridge.submit(chat(PEER, "qwen2.5:7b"), null).result()).backend()).isEqualTo("ollama");
        assertThat(failure(bridge.submit(chat(PEER, "mistral"), null).result()).code())
                .isEqualTo(ErrorCode.NO_SUCH_MODEL);
    }

    @Test
    void neverSendsOllamaMoreThanItsLimit() {
        List<Job> jobs = List.of(bridge.submit(chat(PEER, MODEL), null), bridge.submit(chat(PEER, MODEL), null),
                bridge.submit(chat(RequesterId.of("x"), MODEL), null));

        jobs.forEach(j -> assertThat(result(j.result()).text()).isEqualTo("Hello, world!"));
        assertThat(server.received()).hasSize(3);
        assertThat(server.maxInFlight()).isEqualTo(1);
    }

    @Test
    void theNodesOwnUserIsServedBeforeWaitingPeers() {
        List<String> order = new CopyOnWriteArrayList<>();
        Job running = bridge.submit(chat(PEER, MODEL), null);
        Job peer = bridge.submit(chat(PEER, MODEL), null);
        Job local = bridge.submit(chat(RequesterId.LOCAL, MODEL), null);
        peer.result().onSuccess(r -> order.add("peer"));
        local.result().onSuccess(r -> order.add("local"));

        result(peer.result());
        result(running.result());

        assertThat(order).containsExactly("local", "peer");
    }

    @Test
    void queueStateShowsWaitingPerRequester() {
        Job first = bridge.submit(chat(PEER, MODEL), null);
        bridge.submit(chat(PEER, MODEL), null);
        bridge.submit(chat(RequesterId.of("x"), MODEL), null);

        QueueState state = bridge.queueState();

        assertThat(state.running()).isEqualTo(1);
        assertThat(state.waiting()).isEqualTo(2);
        assertThat(state.waitingPerRequester()).isEqualTo(Map.of(PEER, 1, RequesterId.of("x"), 1));
        assertThat(state.estimatedWait()).isPositive();
        assertThat(state.backends()).extracting(QueueState.BackendState::name).containsExactly("ollama", "simulated");
        assertThat(bridge.job(first.id())).contains(first);
    }

    @Test
    void overloadIsAnsweredAtOnceWithARetryableError(Vertx vertx) {
        result(bridge.close());
        bridge = bridge(vertx, SchedulerConfig.defaults().withBounds(1, 1));
        Job running = bridge.submit(chat(PEER, MODEL), null);
        Job waiting = bridge.submit(chat(PEER, MODEL), null);

        BridgeException e = failure(bridge.submit(chat(PEER, MODEL), null).result());

        assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
        result(running.result());
        result(waiting.result());
    }

    @Test
    void cancellingAWaitingJobFreesItsPlace() {
        Job running = bridge.submit(chat(PEER, MODEL), null);
        Job waiting = bridge.submit(chat(PEER, MODEL), null);

        assertThat(waiting.cancel()).isTrue();

        assertThat(failure(waiting.result()).code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(bridge.queueState().waiting()).isZero();
        result(running.result());
        assertThat(server.received()).hasSize(1);
        assertThat(waiting.cancel()).isFalse();
    }

    @Test
    void cancellingARunningJobClosesTheUpstreamConnectionAndFreesTheSlot() {
        server.chunkDelayMs(200);
        List<String> tokens = new CopyOnWriteArrayList<>();
        Job running = bridge.submit(chat(PEER, MODEL), tokens::add);
        Job next = bridge.submit(chat(PEER, MODEL), null);
        Await.until(() -> !tokens.isEmpty());

        assertThat(bridge.cancel(running.id())).isTrue();

        assertThat(failure(running.result()).code()).isEqualTo(ErrorCode.CANCELLED);
        Await.until(() -> server.connectionsClosed() >= 1);
        server.chunkDelayMs(0);
        assertThat(result(next.result()).text()).isEqualTo("Hello, world!");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void theListenerSeesEachStartWithItsWaitAndEveryEnd(Vertx vertx) {
        result(bridge.close());
        List<Long> waits = new CopyOnWriteArrayList<>();
        List<String> ends = new CopyOnWriteArrayList<>();
        bridge = bridge(vertx, SchedulerConfig.defaults(), new SchedulerListener() {
            @Override
            public void started(InferenceRequest request, long waitedNanos) {
                waits.add(waitedNanos);
            }

            @Override
            public void ended(InferenceRequest request, io.vertx.core.AsyncResult<InferenceResult> outcome) {
                ends.add(outcome.succeeded() ? outcome.result().usage().completionTokens() + " tokens"
                        : ((BridgeException) outcome.cause()).code().name());
            }
        });
        Job first = bridge.submit(chat(PEER, MODEL), null);
        Job second = bridge.submit(chat(PEER, MODEL), null);
        Job unknown = bridge.submit(chat(PEER, "mistral"), null);

        result(first.result());
        result(second.result());
        failure(unknown.result());

        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isNotNegative();
        assertThat(waits.get(1)).as("the second job waited for the first").isPositive();
        String served = FakeOllamaServer.TOKENS.size() + " tokens";
        assertThat(ends).containsExactlyInAnyOrder("NO_SUCH_MODEL", served, served);
    }
}
