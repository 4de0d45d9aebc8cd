package org.council.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.scheduler.SchedulerListener;

/**
 * Counts what the scheduler does: how long jobs waited before a backend took them, how jobs
 * ended, and the completion tokens served, for the node's own user and for peers. Thread-safe
 * (Micrometer meters are), and never blocks: it is called from the bridge's threads.
 */
final class SchedulerMetrics implements SchedulerListener {

    /** The {@code outcome} of a job that produced a result; failures use their {@link ErrorCode} name. */
    static final String COMPLETED = "COMPLETED";

    private final Timer queueWait;
    private final Map<String, Counter> jobs;
    private final Counter localTokens;
    private final Counter peerTokens;

    SchedulerMetrics(MeterRegistry registry) {
        this.queueWait = Timer.builder("council.queue.wait")
                .description("Time inference jobs waited in the queue before a backend started them")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10))
                .register(registry);
        Map<String, Counter> byOutcome = new HashMap<>();
        byOutcome.put(COMPLETED, jobCounter(registry, COMPLETED));
        for (ErrorCode code : ErrorCode.values()) {
            byOutcome.put(code.name(), jobCounter(registry, code.name()));
        }
        this.jobs = Map.copyOf(byOutcome);
        this.localTokens = tokenCounter(registry, "local");
        this.peerTokens = tokenCounter(registry, "peer");
    }

    private static Counter jobCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("council.inference.jobs")
                .description("Inference jobs ended, by outcome: COMPLETED or the bridge's error code")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static Counter tokenCounter(MeterRegistry registry, String requester) {
        return Counter.builder("council.tokens.served")
                .description("Completion tokens of inference jobs this node completed, for its own user or for peers")
                .tag("requester", requester)
                .register(registry);
    }

    @Override
    public void started(InferenceRequest request, long waitedNanos) {
        queueWait.record(Math.max(0, waitedNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void ended(InferenceRequest request, AsyncResult<InferenceResult> outcome) {
        if (outcome.succeeded()) {
            jobs.get(COMPLETED).increment();
            (request.requester().isLocal() ? localTokens : peerTokens)
                    .increment(outcome.result().usage().completionTokens());
        } else {
            ErrorCode code = outcome.cause() instanceof BridgeException e ? e.code() : ErrorCode.BACKEND_ERROR;
            jobs.get(code.name()).increment();
        }
    }
}
