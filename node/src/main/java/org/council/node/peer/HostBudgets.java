package org.council.node.peer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Budgets of unpaid work shared by all sessions of one remote host ({@link NetAddress#hostKey}):
 * signature checks that end in nothing, and new feeds. Keys are free, so per-session budgets alone
 * give an attacker a full budget with every fresh identity; shared per host, an identity that
 * follows a banned one finds the budget its predecessor spent (refilling at the session rates). The
 * shared unpaid budget replaces the session's own; the shared new-feed budget comes on top of the
 * session's ({@link ReplicationBudgets}). In
 * single-machine networks every node shares 127.0.0.1, so there each session gets its own
 * ({@link PeerConfig.Admission#hostBudgets()} false). Confined to the peer context.
 */
final class HostBudgets {

    /** Hosts remembered; past it, those whose buckets are full again are forgotten (a full bucket is a fresh one). */
    static final int MAX_HOSTS = 4_096;

    /** One host's buckets: signature checks that end in nothing, and new feeds. */
    record Budgets(TokenBucket unpaid, TokenBucket newFeeds) {
    }

    private final SessionLimits limits;
    private final boolean shared;
    private final LongSupplier nanos;
    // Accessed by context thread
    private final Map<String, Budgets> hosts = new HashMap<>();

    HostBudgets(SessionLimits limits, boolean shared, LongSupplier nanos) {
        this.limits = limits;
        this.shared = shared;
        this.nanos = nanos;
    }

    /**
     * The budgets of {@code host}'s sessions; when not shared or without a host (in-memory
     * sessions), a session's own, sized by its {@code limits}.
     */
    Budgets of(String host, SessionLimits own) {
        if (!shared || host == null) {
            return fresh(own);
        }
        String key = NetAddress.hostKey(host);
        if (!hosts.containsKey(key) && hosts.size() >= MAX_HOSTS) {
            hosts.values().removeIf(b -> b.unpaid().full() && b.newFeeds().full());
            if (hosts.size() >= MAX_HOSTS) {
                hosts.clear(); // 4,096 addresses all in debt at once (beyond "a few addresses"): all forgotten
            }
        }
        return hosts.computeIfAbsent(key, k -> fresh(limits));
    }

    private Budgets fresh(SessionLimits limits) {
        return new Budgets(new TokenBucket(limits.unpaidBudget(), limits.unpaidRefillPerSecond(), nanos),
                new TokenBucket(limits.newFeedBudget(), limits.newFeedRefillPerSecond(), nanos));
    }

    /** Hosts remembered (for tests). */
    int hosts() {
        return hosts.size();
    }
}
