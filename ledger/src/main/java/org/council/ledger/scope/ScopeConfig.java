package org.council.ledger.scope;

/**
 * How far a node's replication scope reaches ({@link ReplicationScope}).
 *
 * @param hops     trust hops along settled receipts whose feeds are held in full: 1 is the node's
 *                 direct counterparties, 2 adds their counterparties (the default: the peers that
 *                 paid or served a counterparty are exactly who vouches for it in the node's own
 *                 EigenTrust, docs/reputation.md, so karma for everyone the node deals with is
 *                 computed from feeds it holds; a third hop multiplies storage by the network's
 *                 degree again and adds trust that EigenTrust damps anyway)
 * @param maxFeeds most feeds in scope; beyond it the most distant are evicted first. The node's
 *                 own feed, its direct counterparties, its trusted peers and its connected peers
 *                 are never evicted
 */
public record ScopeConfig(int hops, int maxFeeds) {

    public static final int DEFAULT_HOPS = 2;
    /**
     * A node with 40 counterparties, each with 40 of their own, has a 2-hop neighbourhood of
     * about 1,600 feeds; partial feeds at the edge (held up to a receipt half only) come after
     * those and are evicted first.
     */
    public static final int DEFAULT_MAX_FEEDS = 2_000;

    public ScopeConfig {
        if (hops < 1 || hops > 8) {
            throw new IllegalArgumentException("replication scope hops must be 1..8, got " + hops);
        }
        if (maxFeeds < 1) {
            throw new IllegalArgumentException("replication scope max feeds must be at least 1, got " + maxFeeds);
        }
    }

    public static ScopeConfig defaults() {
        return new ScopeConfig(DEFAULT_HOPS, DEFAULT_MAX_FEEDS);
    }
}
