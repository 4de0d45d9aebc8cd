package org.council.ledger.reputation;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Parameters of the karma engine; {@code docs/reputation.md} explains each one in the formula.
 * Immutable and thread-safe (given a thread-safe clock). Defaults in parentheses.
 *
 * @param alpha                weight {@code a} of the pre-trusted distribution in
 *                             {@code t = (1-a)·Cᵀ·t + a·p} (0.2)
 * @param edgeCapCredits       cap on one rater→server edge after decay, in credits (100)
 * @param saturationCredits    a rater passes on all of its trust only once its capped edges sum to
 *                             at least this much; below it the rest returns to the pre-trusted set (100)
 * @param halfLife             a receipt's weight halves every {@code halfLife} of age (7 days)
 * @param topKarma             karma of the best-trusted peer before the balance factor (10)
 * @param balanceInfluence     {@code b} in the balance factor {@code 1 + b·tanh(balance/scale)}, in [0, 1) (0.5)
 * @param balanceScaleCredits  {@code scale} in the balance factor, in credits (100)
 * @param minRecomputeInterval a changed graph is recomputed at most this often (1 s)
 * @param maxStaleness         an unchanged graph is still recomputed this often, as receipts age (10 min)
 * @param epsilon              power iteration stops when the L1 change falls below this (1e-6)
 * @param maxIterations        or after this many iterations (200)
 * @param clockMillis          the wall clock, in milliseconds since the epoch (injectable for tests)
 */
public record KarmaConfig(double alpha, double edgeCapCredits, double saturationCredits, Duration halfLife,
                          double topKarma, double balanceInfluence, double balanceScaleCredits,
                          Duration minRecomputeInterval, Duration maxStaleness, double epsilon, int maxIterations,
                          LongSupplier clockMillis) {

    public KarmaConfig {
        Objects.requireNonNull(halfLife, "halfLife");
        Objects.requireNonNull(minRecomputeInterval, "minRecomputeInterval");
        Objects.requireNonNull(maxStaleness, "maxStaleness");
        Objects.requireNonNull(clockMillis, "clockMillis");
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1)");
        }
        if (!(edgeCapCredits > 0) || !(saturationCredits > 0) || !(balanceScaleCredits > 0) || !(topKarma > 0)) {
            throw new IllegalArgumentException("cap, saturation, balance scale and top karma must be positive");
        }
        if (!(balanceInfluence >= 0 && balanceInfluence < 1)) {
            throw new IllegalArgumentException("balanceInfluence must be in [0, 1)");
        }
        if (halfLife.toMillis() < 1 || minRecomputeInterval.isNegative() || maxStaleness.isNegative()) {
            throw new IllegalArgumentException("half-life must be at least 1 ms and intervals not negative");
        }
        if (!(epsilon > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("epsilon and maxIterations must be positive");
        }
    }

    /** The defaults listed above, on the system clock. */
    public static KarmaConfig defaults() {
        return new KarmaConfig(0.2, 100, 100, Duration.ofDays(7), 10, 0.5, 100,
                Duration.ofSeconds(1), Duration.ofMinutes(10), 1e-6, 200, System::currentTimeMillis);
    }

    public KarmaConfig withClock(LongSupplier clock) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clock);
    }

    public KarmaConfig withAlpha(double a) {
        return new KarmaConfig(a, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clockMillis);
    }

    public KarmaConfig withHalfLife(Duration h) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, h, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clockMillis);
    }

    public KarmaConfig withRecomputeInterval(Duration min, Duration stale) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, min, stale, epsilon, maxIterations, clockMillis);
    }

    /** The balance factor in [1-b, 1+b] for a balance in thousandths of a credit. */
    double balanceFactor(long balanceMilli) {
        return 1 + balanceInfluence * Math.tanh(balanceMilli / 1000.0 / balanceScaleCredits);
    }
}
