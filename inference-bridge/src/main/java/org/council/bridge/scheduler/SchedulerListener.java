package org.council.bridge.scheduler;

import io.vertx.core.AsyncResult;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;

/**
 * Observes a {@link ScheduledInferenceBridge} for metrics: a job leaving the queue for a backend,
 * and every job's end. Both methods do nothing unless overridden.
 *
 * <p>Called without the bridge's lock, on whichever thread moved the job (a submitting thread, a
 * backend's event loop, a cancelling thread): implementations must be thread-safe, return quickly,
 * never block and never call back into the bridge.
 */
public interface SchedulerListener {

    /** A listener that ignores everything. */
    SchedulerListener NONE = new SchedulerListener() {
    };

    /** A job left the queue for a backend, {@code waitedNanos} after it was queued. */
    default void started(InferenceRequest request, long waitedNanos) {
    }

    /**
     * A job ended: its result, or the {@link org.council.bridge.BridgeException} it failed with.
     * Jobs refused at submission (overload, unknown model) and cancelled jobs end here too.
     */
    default void ended(InferenceRequest request, AsyncResult<InferenceResult> outcome) {
    }
}
