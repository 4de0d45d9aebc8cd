package org.council.api.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.api.ChatGateway;
import org.council.bridge.BackendCall;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;
import org.council.bridge.ModelInfo;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedBackend;
import org.council.bridge.simulated.SimulatedConfig;

/**
 * A {@link ChatGateway} straight onto a fast {@link SimulatedBackend} (model
 * {@value #MODEL}), so API tests see real tool calls, JSON, thinking and embeddings end to end.
 * Records every request. Thread-safe.
 */
public final class SimulatedGateway implements ChatGateway {

    public static final String MODEL = "simulated-llama-3b";

    public final List<InferenceRequest> requests = new CopyOnWriteArrayList<>();
    private final SimulatedBackend backend;

    public SimulatedGateway(Vertx vertx) {
        backend = new SimulatedBackend(vertx, SimulatedConfig.defaults().withRate(2000, Duration.ofMillis(1))
                .withModels(List.of(MODEL)));
    }

    @Override
    public Future<List<ModelInfo>> models() {
        return backend.models();
    }

    @Override
    public Job submit(InferenceRequest request, TokenSink sink) {
        requests.add(request);
        BackendCall call = backend.start(request, sink);
        JobId id = new JobId(requests.size());
        return new Job() {
            @Override
            public JobId id() {
                return id;
            }

            @Override
            public Future<InferenceResult> result() {
                return call.result();
            }

            @Override
            public boolean cancel() {
                call.cancel();
                return true;
            }
        };
    }
}
