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
}
