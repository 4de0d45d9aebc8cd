package org.council.api;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.council.bridge.InferenceRequest;
import org.council.bridge.Job;
import org.council.bridge.ModelInfo;
import org.council.bridge.ModelName;
import org.council.bridge.TokenSink;

/**
 * Inference for the Ollama-compatible endpoint: the models reachable from this node (its own
 * backends, the models its peers announced, and the virtual model {@value #COUNCIL_MODEL}) and
 * jobs routed to the local backend, a peer over the network (producing receipts like any remote
 * job), or a whole council. The node implements this port.
 *
 * <p><b>Thread-safety.</b> Thread-safe; never blocks. {@link #submit} never throws for a request
 * that cannot be served: the job's result fails with a {@code BridgeException} instead.
 */
public interface ChatGateway {

    /** The model name that runs a full council query and answers with the chairman's synthesis. */
    String COUNCIL_MODEL = "council";

    /** Every model a request may name, local ones first. */
    Future<List<ModelInfo>> models();

    /**
     * The model {@code name} means under Ollama's {@code :latest} rule ({@link ModelName#find}), the
     * first of {@link #models()} that matches, or empty. Every request resolves its model: a node
     * overrides this to answer its local models without building the whole list.
     */
    default Future<Optional<ModelInfo>> model(String name) {
        return models().map(list -> find(list, name));
    }

    /** The model of {@code models} that {@code name} means, or empty. */
    static Optional<ModelInfo> find(List<ModelInfo> models, String name) {
        return ModelName.find(name, models.stream().map(ModelInfo::name).toList())
                .flatMap(found -> models.stream().filter(m -> m.name().equals(found)).findFirst());
    }

    /** Starts one request; tokens go to {@code sink} as they arrive (once, whole, when not streamed). */
    Job submit(InferenceRequest request, TokenSink sink);
}
