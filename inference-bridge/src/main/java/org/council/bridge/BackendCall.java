package org.council.bridge;

import io.vertx.core.Future;

/**
 * One inference running on a backend. Thread-safe: {@link #cancel()} may be called from any
 * thread, any number of times.
 */
public interface BackendCall {

    /**
     * Completes with the result, or fails with a {@link BridgeException}; completed on the
     * backend's Vert.x event-loop thread (or on the cancelling thread for {@code CANCELLED}).
     */
    Future<InferenceResult> result();

    /**
     * Stops the inference: closes the upstream request and fails {@link #result()} with
     * {@link ErrorCode#CANCELLED} unless it already completed.
     */
    void cancel();

    /** Stops reading the answer stream until {@link #resume()}; see {@link Job#pause()}. Any thread. */
    default void pause() {
    }

    /** Reads the answer stream again. Any thread. */
    default void resume() {
    }
}
