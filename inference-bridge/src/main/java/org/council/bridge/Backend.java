package org.council.bridge;

import io.vertx.core.Future;
import java.util.List;

/**
 * A model server the node can send inference to (Ollama, an OpenAI-compatible server, or the
 * simulated backend). A backend does no queueing of its own: the bridge never starts more than
 * {@link #maxConcurrency()} calls at once on it.
 *
 * <p>Implementations are thread-safe. Futures complete on a Vert.x event-loop thread.
 */
public interface Backend {

    /** A short unique name for logs, results and the API ({@code ollama}, {@code sim}, ...). */
    String name();

    /** The most calls the bridge may run at once on this backend (at least 1). */
    int maxConcurrency();

    /** The models this backend serves now. */
    Future<List<ModelInfo>> models();

    /** Starts one inference; tokens go to {@code sink} as they arrive. */
    BackendCall start(InferenceRequest request, TokenSink sink);

    /** Releases clients and timers. */
    Future<Void> close();
}
