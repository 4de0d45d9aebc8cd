package org.council.node.peer;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;

/**
 * What replication lets one session cost this node ({@link SessionLimits}), and what it spends of
 * its host's shared budgets ({@link HostBudgets}): clocks entries held,
 * feeds it brings that this node did not hold, and signature checks that end in nothing (forks,
 * {@code PREV_MISMATCH}, {@code CLOCK_AHEAD}: the sender pays nothing for them and could replay
 * them for ever). Each method returns null within the budget, or why the peer is flooding.
 *
 * <p>Confined to the session's context, like the {@link FeedSync} that owns it; not thread-safe.
 */
final class ReplicationBudgets {

    /** {@link #newFeed}'s answer when the session is within its budget but its host is not: dropped, no blame. */
    static final String HOST_OVER = "the sessions of this address brought more new feeds than their shared budget";

    private final SessionLimits limits;
    private final TokenBucket newFeeds;
    private final HostBudgets.Budgets host;
    // Accessed by context thread (all below)
    private final Set<NodeId> newAuthorsInFlight = new HashSet<>();
    private long clockEntries;

    ReplicationBudgets(SessionLimits limits, LongSupplier nanos) {
        this(limits, nanos, new HostBudgets(limits, false, nanos).of(null, limits));
    }

    /** With the unpaid and new-feed budgets of the session's host ({@link HostBudgets}), shared or its own. */
    ReplicationBudgets(SessionLimits limits, LongSupplier nanos, HostBudgets.Budgets host) {
        this.limits = limits;
        this.newFeeds = new TokenBucket(limits.newFeedBudget(), limits.newFeedRefillPerSecond(), nanos);
        this.host = host;
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
        if (!newFeeds.take(1)) {
            return "more new feeds than " + limits.newFeedBudget() + " per " + limits.newFeedWindow();
        }
        if (!host.newFeeds().take(1)) {
            // the session itself is within its budget (it cannot know what its address's other
            // identities spent): the batch is dropped, the peer not blamed; its feed comes back later
            newAuthorsInFlight.remove(author);
            return HOST_OVER;
        }
        return null;
    }

    /** A batch of {@code author}'s feed has been through the ledger: from now on the store says whether it is new. */
    void ingested(NodeId author) {
        newAuthorsInFlight.remove(author);
    }

    /**
     * Whether the unpaid budget (the host's, when shared) is spent: then the session validates one
     * batch at a time, so that a replay is stopped after one batch instead of all those in flight.
     * An honest peer never spends it.
     */
    boolean unpaidSpent() {
        return host.unpaid().empty();
    }

    /** {@code checks} signatures were verified for events that ended in nothing. */
    String unpaid(int checks) {
        if (checks == 0 || host.unpaid().take(checks)) {
            return null;
        }
        return "more forked, mismatched or future events than " + limits.unpaidBudget() + " at once and "
                + limits.unpaidRefillPerSecond() + "/s";
    }
}
