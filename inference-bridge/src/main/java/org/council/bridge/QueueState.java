package org.council.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the node's inference queue for the API: waiting jobs per requester, jobs running
 * per backend, bounds, and the estimated wait of a job submitted now. Immutable.
 */
public record QueueState(
        Map<RequesterId, Integer> waitingPerRequester,
        int waiting,
        int running,
        int maxWaiting,
        int maxWaitingPerRequester,
        List<BackendState> backends,
        Duration estimatedWait) {

    public QueueState {
        waitingPerRequester = Map.copyOf(waitingPerRequester);
        backends = List.copyOf(backends);
    }

    /** One backend's load: running calls against its concurrency limit, and its models. */
    public record BackendState(String name, int running, int maxConcurrency, List<String> models) {

        public BackendState {
            models = List.copyOf(models);
        }
    }
}
