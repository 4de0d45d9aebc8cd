package org.council.bridge.simulated;

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
import org.council.bridge.BackendCall;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequesterId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SimulatedBackendTest {

    private static final SimulatedConfig FAST = SimulatedConfig.defaults().withRate(1000, Duration.ofMillis(1));

    @Test
    void modelsAreLabelledSimulated(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx, FAST.withModels(List.of("tiny-1B", "simulated-x")));

        List<ModelInfo> models = result(backend.models());

        assertThat(models).extracting(ModelInfo::name).containsExactly("simulated-tiny-1B", "simulated-x");
        assertThat(models).allSatisfy(m -> assertThat(m.simulated()).isTrue());
        assertThat(models.get(0).parameterSize()).isEqualTo("1B");
    }

    @Test
    void generatesTheRequestedTokensAndSaysItIsSimulated(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx, FAST);
        List<String> tokens = new CopyOnWriteArrayList<>();
        InferenceRequest req = InferenceRequest.generate(RequesterId.LOCAL, "simulated-llama-3b", "one two three")
                .withOptions(Map.of("num_predict", 6));

        InferenceResult r = result(backend.start(req, tokens::add).result());

        assertThat(tokens).hasSize(6);
        assertThat(r.text()).startsWith(SimulatedBackend.BANNER).contains("simulated");
        assertThat(r.usage().completionTokens()).isEqualTo(6);
        assertThat(r.usage().promptTokens()).isEqualTo(3);
        assertThat(r.doneReason()).isEqualTo("length");
        assertThat(r.backend()).isEqualTo("simulated");
    }

    @Test
    void cancelStopsGeneration(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx,
                SimulatedConfig.defaults().withRate(50, Duration.ofMillis(1)));
        List<String> tokens = new CopyOnWriteArrayList<>();
        BackendCall call = backend.start(InferenceRequest.generate(RequesterId.LOCAL, "simulated-llama-3b", "x"),
                tokens::add);
        Await.until(() -> !tokens.isEmpty());

        call.cancel();

        assertThat(failure(call.result()).code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(tokens.size()).isLessThan(SimulatedConfig.defaults().defaultCompletionTokens());
    }

    @Test
    void unknownModelIsNoSuchModel(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx, FAST);

        assertThat(failure(backend.start(InferenceRequest.generate(RequesterId.LOCAL, "llama3", "x"), t -> { })
                .result()).code()).isEqualTo(ErrorCode.NO_SUCH_MODEL);
    }
}
