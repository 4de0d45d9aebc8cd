package org.council.bridge.scheduler;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.council.bridge.Backend;
import org.council.bridge.BackendCall;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceBridge;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;
import org.council.bridge.ModelInfo;
import org.council.bridge.ModelName;
import org.council.bridge.QueueState;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;

/**
 * The production {@link InferenceBridge}: one {@link FairQueue} (a lane per model) in front of
 * several backends, each given at most its {@link Backend#maxConcurrency()} calls at once. A
 * request routes to any backend that lists its model ({@code name} and {@code name:latest} are the
 * same model); routes come from {@link #models()}, refreshed once when a request names an unknown
 * model.
 *
 * <p>Thread-safe: all state is guarded by this object's lock, which is never held while calling a
 * backend or completing a future. Job results complete on the event-loop thread of the backend
 * that served them; refusals at submission are returned already failed; a cancelled waiting job
 * fails on the cancelling thread.
 */
public final class ScheduledInferenceBridge implements InferenceBridge {

    private final List<Slot> slots = new ArrayList<>();
    private final FairQueue<PendingJob> queue;
    private final Map<JobId, PendingJob> jobs = new HashMap<>();
    private final SchedulerConfig config;
    private final LongSupplier nanoClock;
    private final SchedulerListener listener;
    private long nextId = 1;
    private boolean closed;

    public ScheduledInferenceBridge(List<Backend> backends, ToDoubleFunction<RequesterId> karma,
            SchedulerConfig config) {
        this(backends, karma, config, System::nanoTime);
    }

    public ScheduledInferenceBridge(List<Backend> backends, ToDoubleFunction<RequesterId> karma,
            SchedulerConfig config, LongSupplier nanoClock) {
        this(backends, karma, config, nanoClock, SchedulerListener.NONE);
    }

    /** As the other constructors, telling {@code listener} when jobs start and end. */
    public ScheduledInferenceBridge(List<Backend> backends, ToDoubleFunction<RequesterId> karma,
            SchedulerConfig config, LongSupplier nanoClock, SchedulerListener listener) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        this.queue = new FairQueue<>(config, karma, nanoClock);
        int total = 0;
        for (Backend b : backends) {
            slots.add(new Slot(b));
            total += b.maxConcurrency();
        }
        queue.serviceSlots(total);
    }

    @Override
    public Job submit(InferenceRequest request, TokenSink sink) {
        PendingJob job;
        synchronized (this) {
            job = new PendingJob(this, new JobId(nextId++), request, sink == null ? TokenSink.NONE : sink);
        }
        job.result().onComplete(outcome -> listener.ended(request, outcome));
        admit(job, true);
        return job;
    }

    private void admit(PendingJob job, boolean mayRefresh) {
        String lane = ModelName.normalize(job.request.model()); // name and name:latest share a lane
        List<Start> starts;
        BridgeException refusal = null;
        PendingJob evicted = null;
        Duration evictedRetry = null;
        synchronized (this) {
            if (job.state == State.DONE) {
                return; // cancelled while the model list was refreshed
            } else if (closed) {
                refusal = new BridgeException(ErrorCode.CANCELLED, "the inference bridge is closed");
            } else if (slots.stream().noneMatch(s -> s.models.containsKey(lane))) {
                if (!mayRefresh) {
                    refusal = new BridgeException(ErrorCode.NO_SUCH_MODEL,
                            "no backend serves model '" + job.request.model() + "'");
                }
            } else {
                Admission<PendingJob> a = queue.offer(job.request.requester(), lane, config.cost(job.request), job);
                if (a instanceof Admission.Rejected<PendingJob> r) {
                    refusal = BridgeException.overloaded(r.reason(), r.retryAfter());
                } else if (a instanceof Admission.Admitted<PendingJob> ok) {
                    job.ticket = ok.ticket();
                    jobs.put(job.id, job);
                    if (ok.evicted().isPresent()) {
                        evicted = ok.evicted().get().payload();
                        evicted.state = State.DONE;
                        jobs.remove(evicted.id);
                        evictedRetry = queue.retryAfterWhenFull();
                    }
                }
            }
            starts = dispatchLocked();
        }
        if (refusal == null && job.ticket == null) {
            models().onComplete(ignored -> admit(job, false));
            return;
        }
        if (refusal != null) {
            job.promise.tryFail(refusal);
        }
        if (evicted != null) {
            evicted.promise.tryFail(BridgeException.overloaded(
                    "pushed out of the full queue by a higher-priority request", evictedRetry));
        }
        starts.forEach(this::start);
    }

    /** Pairs free backend slots with the best waiting jobs they can serve. Caller holds the lock. */
    private List<Start> dispatchLocked() {
        List<Start> starts = new ArrayList<>();
        for (Slot slot : slots) {
            while (slot.running < slot.backend.maxConcurrency() && queue.size() > 0) {
                Ticket<PendingJob> t = queue.poll(slot.models.keySet());
                if (t == null) {
                    break;
                }
                PendingJob job = t.payload();
                slot.running++;
                job.state = State.RUNNING;
                job.startedNanos = nanoClock.getAsLong();
                starts.add(new Start(slot, job, slot.models.get(t.lane())));
            }
        }
        return starts;
    }

    private void start(Start s) {
        PendingJob job = s.job();
        listener.started(job.request, job.startedNanos - job.ticket.enqueuedNanos());
        BackendCall call;
        try {
            InferenceRequest req = job.request.model().equals(s.model()) ? job.request : job.request.withModel(s.model());
            call = s.slot().backend.start(req, job.sink);
        } catch (RuntimeException e) {
            finished(s.slot(), job, Future.failedFuture(new BridgeException(ErrorCode.BACKEND_ERROR,
                    s.slot().backend.name() + " failed to start: " + e, null, e)));
            return;
        }
        boolean cancelNow;
        boolean pauseNow;
        synchronized (this) {
            job.call = call;
            cancelNow = job.cancelRequested;
            pauseNow = job.paused;
        }
        if (cancelNow) {
            call.cancel();
        } else if (pauseNow) {
            call.pause();
        }
        call.result().onComplete(ar -> finished(s.slot(), job, ar));
    }

    private void finished(Slot slot, PendingJob job, AsyncResult<InferenceResult> outcome) {
        List<Start> starts;
        synchronized (this) {
            slot.running--;
            queue.recordService(nanoClock.getAsLong() - job.startedNanos);
            job.state = State.DONE;
            jobs.remove(job.id);
            starts = dispatchLocked();
        }
        starts.forEach(this::start);
        if (outcome.succeeded()) {
            job.promise.tryComplete(outcome.result());
        } else {
            Throwable t = outcome.cause();
            job.promise.tryFail(t instanceof BridgeException ? t
                    : new BridgeException(ErrorCode.BACKEND_ERROR, String.valueOf(t), null, t));
        }
    }

    boolean cancel(PendingJob job) {
        BackendCall call = null;
        synchronized (this) {
            switch (job.state) {
                case DONE -> {
                    return false;
                }
                case WAITING -> {
                    if (job.ticket != null) {
                        queue.remove(job.ticket);
                    }
                    job.state = State.DONE;
                    jobs.remove(job.id);
                }
                case RUNNING -> {
                    job.cancelRequested = true;
                    call = job.call;
                }
            }
        }
        if (call != null) {
            call.cancel(); // the slot is freed when the call's result completes
        } else if (!job.cancelRequested) {
            job.promise.tryFail(BridgeException.cancelled());
        }
        return true;
    }

    @Override
    public synchronized Optional<Job> job(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Lists every backend's models and refreshes the routing table. */
    @Override
    public Future<List<ModelInfo>> models() {
        List<Future<List<ModelInfo>>> all = new ArrayList<>();
        for (Slot slot : slots) {
            all.add(slot.backend.models().onSuccess(list -> {
                Map<String, String> names = new HashMap<>();
                list.forEach(m -> names.put(ModelName.normalize(m.name()), m.name()));
                List<Start> starts;
                synchronized (this) {
                    slot.models = names;
                    starts = dispatchLocked();
                }
                starts.forEach(this::start);
            }).otherwise(List.of()));
        }
        return Future.all(all).map(cf -> {
            List<ModelInfo> out = new ArrayList<>();
            all.forEach(f -> out.addAll(f.result()));
            return List.copyOf(out);
        });
    }

    @Override
    public synchronized QueueState queueState() {
        List<QueueState.BackendState> backends = new ArrayList<>();
        int running = 0;
        boolean free = false;
        for (Slot s : slots) {
            backends.add(new QueueState.BackendState(s.backend.name(), s.running, s.backend.maxConcurrency(),
                    List.copyOf(s.models.values())));
            running += s.running;
            free |= s.running < s.backend.maxConcurrency();
        }
        Duration wait = queue.size() == 0 && free ? Duration.ZERO : queue.estimatedWait();
        return new QueueState(queue.waitingPerRequester(), queue.size(), running, config.maxWaiting(),
                config.maxWaitingPerRequester(), backends, wait);
    }

    @Override
    public Future<Void> close() {
        List<PendingJob> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(jobs.values());
        }
        open.forEach(PendingJob::cancel);
        List<Future<Void>> closing = slots.stream().map(s -> s.backend.close()).toList();
        return Future.join(closing).mapEmpty();
    }

    enum State { WAITING, RUNNING, DONE }

    /** One backend and its running count. Guarded by the bridge's lock. */
    private static final class Slot {
        final Backend backend;
        int running;
        Map<String, String> models = Map.of(); // lane -> the backend's own model name

        Slot(Backend backend) {
            this.backend = backend;
        }
    }

    record Start(Slot slot, PendingJob job, String model) {
    }
}
