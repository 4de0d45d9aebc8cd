package org.council.node.peer;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;

/**
 * What replication lets one session cost this node ({@link SessionLimits}): clocks entries held,
 * feeds it brings that this node did not hold, and signature checks that end in nothing (forks,
 * {@code PREV_MISMATCH}, {@code CLOCK_AHEAD}: the sender pays nothing for them and could replay
 * them for ever). Each method returns null within the budget, or why the peer is flooding.
 *
 * <p>Confined to the session's context, like the {@link FeedSync} that owns it; not thread-safe.
 */
final class ReplicationBudgets {

    private final SessionLimits limits;
    private final TokenBucket newFeeds;
    private final TokenBucket unpaid;
    // Accessed by context thread (all below)
    private final Set<NodeId> newAuthorsInFlight = new HashSet<>();
    private long clockEntries;

    ReplicationBudgets(SessionLimits limits, LongSupplier nanos) {
        this.limits = limits;
        this.newFeeds = new TokenBucket(limits.newFeedBudget(), limits.newFeedRefillPerSecond(), nanos);
        this.unpaid = new TokenBucket(limits.unpaidBudget(), limits.unpaidRefillPerSecond(), nanos);
    }

    /** The peer's clocks brought {@code entries} more entries (each is held in memory for the session). */
    String clockEntries(int entries) {
        clockEntries += entries;
        return clockEntries <= limits.maxClockEntries() ? null
                : "clocks of more than " + limits.maxClockEntries() + " feeds";
    }

    /**
     * A batch of {@code author}'s feed arrives; {@code unknown} when this node holds no event of it.
     * The first batch of each unknown author takes one token (batches of it still in flight do not).
     */
    String newFeed(NodeId author, boolean unknown) {
        if (!unknown || !newAuthorsInFlight.add(author)) {
            return null;
        }
        return newFeeds.take(1) ? null : "more new feeds than " + limits.newFeedBudget() + " per "
                + limits.newFeedWindow();
    }

    /** A batch of {@code author}'s feed has been through the ledger: from now on the store says whether it is new. */
    void ingested(NodeId author) {
        newAuthorsInFlight.remove(author);
    }

    /** {@code checks} signatures were verified for events that ended in nothing. */
    String unpaid(int checks) {
        if (checks == 0 || unpaid.take(checks)) {
            return null;
        }
        return "more forked, mismatched or future events than " + limits.unpaidBudget() + " at once and "
                + limits.unpaidRefillPerSecond() + "/s";
    }
}
