package org.council.bridge;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * The node's entry point to local inference: queues requests in priority order (karma-weighted
 * fair queueing, the node's own user first) and runs them on the backends that serve the
 * requested model, never exceeding a backend's concurrency limit.
 *
 * <p>Implementations are thread-safe: every method may be called from any thread. Which thread
 * completes each future is stated on the method and on {@link Job#result()}.
 */
public interface InferenceBridge {

    /**
     * Queues one request. Never throws for overload: the returned job's result fails at once with
     * {@link ErrorCode#OVERLOADED} (retryable, with a retry-after hint) when the queue is full.
     */
    Job submit(InferenceRequest request, TokenSink sink);

    /** The job with this id while it is waiting or running. */
    Optional<Job> job(JobId id);

    /** Cancels a waiting or running job; false if no such job is waiting or running. */
    default boolean cancel(JobId id) {
        return job(id).map(Job::cancel).orElse(false);
    }

    /**
     * Lists the models of every backend (refreshing the routing table); a backend that cannot be
     * reached is left out. Completes on a Vert.x event-loop thread.
     */
    Future<List<ModelInfo>> models();

    /** A consistent snapshot of the queue. */
    QueueState queueState();

    /** Cancels everything and closes the backends. */
    Future<Void> close();
}
