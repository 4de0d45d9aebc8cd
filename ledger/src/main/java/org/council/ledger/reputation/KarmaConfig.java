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
 * @param newcomerShare        an edge in probation counts at this share of its capped evidence: trust is
 *                             held in escrow until the server has a history with the rater (0.1)
 * @param newcomerBudgetCredits and all of a rater's edges in probation together count at most this much,
 *                             in credits (10): with saturation 100 they carry at most 10 % of its outgoing
 *                             trust together, however many identities they are
 * @param probation            an edge rater→server is in probation until the rater's first settled receipt
 *                             with that server is this old (14 days)
 * @param qualityFloor         evidence multiplier of a server its rater's councils always ranked last (0);
 *                             at or above the median rank the multiplier is 1
 */
public record KarmaConfig(double alpha, double edgeCapCredits, double saturationCredits, Duration halfLife,
                          double topKarma, double balanceInfluence, double balanceScaleCredits,
                          Duration minRecomputeInterval, Duration maxStaleness, double epsilon, int maxIterations,
                          LongSupplier clockMillis, double newcomerShare, double newcomerBudgetCredits,
                          Duration probation, double qualityFloor) {

    public KarmaConfig {
        Objects.requireNonNull(halfLife, "halfLife");
        Objects.requireNonNull(minRecomputeInterval, "minRecomputeInterval");
        Objects.requireNonNull(maxStaleness, "maxStaleness");
        Objects.requireNonNull(clockMillis, "clockMillis");
        Objects.requireNonNull(probation, "probation");
        if (!(newcomerShare > 0 && newcomerShare <= 1) || !(newcomerBudgetCredits > 0) || probation.isNegative()
                || !(qualityFloor >= 0 && qualityFloor <= 1)) {
            throw new IllegalArgumentException("newcomer share must be in (0, 1], newcomer budget positive, "
                    + "probation not negative, quality floor in [0, 1]");
        }
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
                Duration.ofSeconds(1), Duration.ofMinutes(10), 1e-6, 200, System::currentTimeMillis,
                0.1, 10, Duration.ofDays(14), 0);
    }

    public KarmaConfig withClock(LongSupplier clock) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clock,
                newcomerShare, newcomerBudgetCredits, probation, qualityFloor);
    }

    public KarmaConfig withAlpha(double a) {
        return new KarmaConfig(a, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clockMillis,
                newcomerShare, newcomerBudgetCredits, probation, qualityFloor);
    }

    public KarmaConfig withHalfLife(Duration h) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, h, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clockMillis,
                newcomerShare, newcomerBudgetCredits, probation, qualityFloor);
    }

    public KarmaConfig withRecomputeInterval(Duration min, Duration stale) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, min, stale, epsilon, maxIterations, clockMillis, newcomerShare,
                newcomerBudgetCredits, probation, qualityFloor);
    }

    public KarmaConfig withNewcomers(double share, double budgetCredits, Duration probationPeriod) {
        return new KarmaConfig(alpha, edgeCapCredits, saturationCredits, halfLife, topKarma, balanceInfluence,
                balanceScaleCredits, minRecomputeInterval, maxStaleness, epsilon, maxIterations, clockMillis,
                share, budgetCredits, probationPeriod, qualityFloor);
    }

    /** The balance factor in [1-b, 1+b] for a balance in thousandths of a credit. */
    double balanceFactor(double balanceMilli) {
        return 1 + balanceInfluence * Math.tanh(balanceMilli / 1000.0 / balanceScaleCredits);
    }

    /**
     * The evidence multiplier of an edge whose rater's councils gave the server a mean quality
     * {@code q} in [0, 1] (1 = ranked first, 0 = ranked last): 1 at or above the median, falling
     * linearly to {@link #qualityFloor()} for always-last.
     */
    double qualityMultiplier(double q) {
        return qualityFloor + (1 - qualityFloor) * Math.min(1, Math.max(0, 2 * q));
    }
}
