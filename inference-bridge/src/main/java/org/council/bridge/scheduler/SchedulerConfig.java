package org.council.bridge.scheduler;

import java.time.Duration;
import java.util.Objects;
import org.council.bridge.InferenceRequest;

/**
 * Knobs of the karma-priority scheduler; see {@code docs/inference-bridge.md} for the algorithm.
 *
 * <ul>
 *   <li>{@code floorWeight} (0.1): the weight of unknown requesters and free riders; a requester's
 *       weight is {@code clamp(karma, floorWeight, maxWeight)}.</li>
 *   <li>{@code maxWeight} (100): caps one requester's weight.</li>
 *   <li>{@code ageingPerSecond} (0.01): virtual-time units a waiting request gains per second
 *       waited (a lone floor-weight request of default cost, 10 units ahead, catches up with
 *       newcomers in about 1000 s).</li>
 *   <li>{@code maxAge} (10 min): a request waiting this long is overdue and served before the
 *       weighted order, oldest first; with the bounds this caps every wait.</li>
 *   <li>{@code maxWaiting} (64) and {@code maxWaitingPerRequester} (8): queue bounds.</li>
 *   <li>{@code tokensPerCostUnit} (256) and {@code defaultCostTokens} (256): a request costs
 *       {@code max_tokens / tokensPerCostUnit} units (clamped to [1/16, 16]), or the default.</li>
 *   <li>{@code initialServiceTime} (10 s): service-time estimate before any job finished.</li>
 *   <li>{@code minRetryAfter} (1 s) and {@code maxRetryAfter} (300 s): bounds of the hint.</li>
 * </ul>
 * Immutable.
 */
public record SchedulerConfig(
        double floorWeight,
        double maxWeight,
        double ageingPerSecond,
        Duration maxAge,
        int maxWaiting,
        int maxWaitingPerRequester,
        int tokensPerCostUnit,
        int defaultCostTokens,
        Duration initialServiceTime,
        Duration minRetryAfter,
        Duration maxRetryAfter) {

    public static final double MIN_COST = 1.0 / 16;
    public static final double MAX_COST = 16;

    public SchedulerConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(initialServiceTime, "initialServiceTime");
        Objects.requireNonNull(minRetryAfter, "minRetryAfter");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (!(floorWeight > 0) || !(maxWeight >= floorWeight) || !(ageingPerSecond > 0)) {
            throw new IllegalArgumentException("need 0 < floorWeight <= maxWeight and ageingPerSecond > 0");
        }
        if (maxWaiting < 1 || maxWaitingPerRequester < 1 || tokensPerCostUnit < 1 || defaultCostTokens < 1) {
            throw new IllegalArgumentException("bounds and token counts must be positive");
        }
        if (minRetryAfter.compareTo(maxRetryAfter) > 0) {
            throw new IllegalArgumentException("minRetryAfter must not exceed maxRetryAfter");
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(0.1, 100, 0.01, Duration.ofMinutes(10), 64, 8, 256, 256,
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(300));
    }

    public SchedulerConfig withBounds(int waiting, int perRequester) {
        return new SchedulerConfig(floorWeight, maxWeight, ageingPerSecond, maxAge, waiting, perRequester,
                tokensPerCostUnit, defaultCostTokens, initialServiceTime, minRetryAfter, maxRetryAfter);
    }

    public SchedulerConfig withAgeing(double perSecond) {
        return new SchedulerConfig(floorWeight, maxWeight, perSecond, maxAge, maxWaiting, maxWaitingPerRequester,
                tokensPerCostUnit, defaultCostTokens, initialServiceTime, minRetryAfter, maxRetryAfter);
    }

    public SchedulerConfig withMaxAge(Duration age) {
        return new SchedulerConfig(floorWeight, maxWeight, ageingPerSecond, age, maxWaiting, maxWaitingPerRequester,
                tokensPerCostUnit, defaultCostTokens, initialServiceTime, minRetryAfter, maxRetryAfter);
    }

    public SchedulerConfig withFloorWeight(double floor) {
        return new SchedulerConfig(floor, Math.max(floor, maxWeight), ageingPerSecond, maxAge, maxWaiting,
                maxWaitingPerRequester, tokensPerCostUnit, defaultCostTokens, initialServiceTime, minRetryAfter,
                maxRetryAfter);
    }

    /** The cost of a request in scheduler units, from its requested maximum of tokens. */
    public double cost(InferenceRequest request) {
        return cost(request.maxTokens().orElse(defaultCostTokens));
    }

    /** The cost of a request that may generate {@code tokens} tokens. */
    public double cost(int tokens) {
        return Math.max(MIN_COST, Math.min(MAX_COST, (double) tokens / tokensPerCostUnit));
    }

    /** The weight given to a requester with this karma: {@code clamp(karma, floor, max)}. */
    public double weight(double karma) {
        return Double.isNaN(karma) ? floorWeight : Math.max(floorWeight, Math.min(maxWeight, karma));
    }
}
