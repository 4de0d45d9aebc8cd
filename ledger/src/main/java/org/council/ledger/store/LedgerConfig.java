package org.council.ledger.store;

import java.util.function.LongSupplier;
import org.council.ledger.event.Limits;

/**
 * Tunables of the store.
 *
 * @param clockMillis      the wall clock, in milliseconds since the epoch (injectable for tests)
 * @param maxClockSkewMs   how far ahead of {@code clockMillis} a timestamp may be
 * @param maxBatchEvents   most events one group commit writes
 * @param verifierThreads  threads verifying signatures of ingested events
 * @param syncWrites       whether commits are synced to disk before they are acknowledged;
 *                         only tests of unrelated logic may turn this off
 * @param maxFeeds         most feeds the store holds (its own included): beyond, an event that would
 *                         start a new feed evicts the least connected feed the node has no reason
 *                         to hold, or is refused ({@link Rejection#FEED_LIMIT}) when there is none;
 *                         counterparties of a receipt in the own feed always fit. Heads, clocks and
 *                         start-up checks grow with this number
 */
public record LedgerConfig(LongSupplier clockMillis, long maxClockSkewMs, int maxBatchEvents, int verifierThreads,
                           boolean syncWrites, int maxFeeds) {

    /** The default cap on feeds (docs/threat-model-resources.md gives its measured costs). */
    public static final int DEFAULT_MAX_FEEDS = 50_000;

    public LedgerConfig {
        if (maxClockSkewMs < 0 || maxBatchEvents < 1 || verifierThreads < 1 || maxFeeds < 1) {
            throw new IllegalArgumentException("clock skew must be >= 0, batch, threads and feeds >= 1");
        }
    }

    /** As the canonical constructor, with {@link #DEFAULT_MAX_FEEDS}. */
    public LedgerConfig(LongSupplier clockMillis, long maxClockSkewMs, int maxBatchEvents, int verifierThreads,
                        boolean syncWrites) {
        this(clockMillis, maxClockSkewMs, maxBatchEvents, verifierThreads, syncWrites, DEFAULT_MAX_FEEDS);
    }

    /**
     * Defaults: system clock, 10 minutes skew, 4096-event batches, synced, and one verifier thread
     * per core plus one: the writer and network threads block often, and the extra verifier keeps
     * every core verifying meanwhile (measured: replication.pull 0.69 -> 0.71 of the raw rate).
     */
    public static LedgerConfig defaults() {
        return new LedgerConfig(System::currentTimeMillis, Limits.DEFAULT_MAX_CLOCK_SKEW_MS, 4096,
                Runtime.getRuntime().availableProcessors() + 1, true);
    }

    public LedgerConfig withClock(LongSupplier clock) {
        return new LedgerConfig(clock, maxClockSkewMs, maxBatchEvents, verifierThreads, syncWrites, maxFeeds);
    }

    public LedgerConfig withVerifierThreads(int threads) {
        return new LedgerConfig(clockMillis, maxClockSkewMs, maxBatchEvents, threads, syncWrites, maxFeeds);
    }

    public LedgerConfig withMaxFeeds(int feeds) {
        return new LedgerConfig(clockMillis, maxClockSkewMs, maxBatchEvents, verifierThreads, syncWrites, feeds);
    }
}
