package org.council.bridge;

import io.vertx.core.Future;

/**
 * A submitted inference: waiting in the node's queue, then running on a backend. Thread-safe.
 */
public interface Job {

    JobId id();

    /**
     * Completes with the result or fails with a {@link BridgeException}. It completes on the
     * event-loop thread of the backend that served the job; a job refused at submission
     * ({@code OVERLOADED}, {@code NO_SUCH_MODEL}) is returned already failed, and a job cancelled
     * while waiting fails on the cancelling thread.
     */
    Future<InferenceResult> result();

    /**
     * Cancels the job: a waiting job leaves the queue at once; a running job's upstream request
     * is closed and its backend slot freed. Returns false if the job had already finished.
     */
    boolean cancel();

    /**
     * Flow control: asks the backend to stop reading the answer stream (the model server then
     * blocks on its socket) until {@link #resume()}, so a client that reads slower than the model
     * writes does not make the node buffer. A paused answer is not a stalled one; it stays bounded
     * by the backend's total timeout. Idempotent; the latest call wins; a no-op for jobs that
     * cannot pause (queued jobs keep the state and apply it when they start).
     */
    default void pause() {
    }

    /** Undoes {@link #pause()}. */
    default void resume() {
    }
}
