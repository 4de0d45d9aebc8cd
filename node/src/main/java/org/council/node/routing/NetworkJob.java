package org.council.node.routing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.council.bridge.BridgeException;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;

/**
 * A {@link Job} for work that does not run in this node's bridge: a peer's inference or a council.
 * Cancelling fails the result with {@code CANCELLED} and runs the cancel action once. Ids are
 * negative, so they never collide with the bridge's. Thread-safe.
 */
final class NetworkJob implements Job {

    private final JobId id;
    private final Promise<InferenceResult> promise = Promise.promise();
    private volatile Runnable onCancel = () -> { };

    NetworkJob(long sequence) {
        this.id = new JobId(-sequence);
    }

    /** What to stop when the job is cancelled; set it before handing the job out. */
    void onCancel(Runnable action) {
        onCancel = action;
    }

    void complete(InferenceResult result) {
        promise.tryComplete(result);
    }

    void fail(Throwable cause) {
        promise.tryFail(cause);
    }

    @Override
    public JobId id() {
        return id;
    }

    @Override
    public Future<InferenceResult> result() {
        return promise.future();
    }

    @Override
    public boolean cancel() {
        if (!promise.tryFail(BridgeException.cancelled())) {
            return false;
        }
        onCancel.run();
        return true;
    }
}
