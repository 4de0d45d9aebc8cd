package org.council.bridge.scheduler;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.council.bridge.BackendCall;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;
import org.council.bridge.TokenSink;

/** A job of a {@link ScheduledInferenceBridge}. Mutable fields are guarded by the bridge's lock. */
final class PendingJob implements Job {
    final ScheduledInferenceBridge bridge;
    final JobId id;
    final InferenceRequest request;
    final TokenSink sink;
    final Promise<InferenceResult> promise = Promise.promise();
    Ticket<PendingJob> ticket;
    ScheduledInferenceBridge.State state = ScheduledInferenceBridge.State.WAITING;
    BackendCall call;
    boolean cancelRequested;
    boolean paused;
    long startedNanos;

    PendingJob(ScheduledInferenceBridge bridge, JobId id, InferenceRequest request, TokenSink sink) {
        this.bridge = bridge;
        this.id = id;
        this.request = request;
        this.sink = sink;
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
        return bridge.cancel(this);
    }

    @Override
    public void pause() {
        flow(true);
    }

    @Override
    public void resume() {
        flow(false);
    }

    /** Records the wanted state (a call started later applies it) and passes it to a running call. */
    private void flow(boolean pause) {
        BackendCall running;
        synchronized (bridge) {
            paused = pause;
            running = call;
        }
        if (running != null) {
            if (pause) {
                running.pause();
            } else {
                running.resume();
            }
        }
    }
}
