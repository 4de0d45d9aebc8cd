package org.council.ledger.store.rocksdb;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.Rejection;

/**
 * The global bound on feeds ({@link LedgerConfig#maxFeeds()}): everything that grows with the
 * number of feeds (heads in memory, the clocks sent at every handshake, tail checks at start-up)
 * grows with the keys a stranger can generate. When a new feed would pass the cap, the least
 * connected feed the node has no reason to hold is evicted in the same commit
 * ({@link FeedEviction}: never the own feed, a counterparty's, or one that balances, karma or fork
 * evidence depend on); when there is none, the new feed is refused ({@link Rejection#FEED_LIMIT}).
 * The own feed always has room (it does not go through ingest), and so do counterparties' feeds:
 * authors named by a receipt in the own feed (whom this node served or who served it), whose
 * halves of those receipts it needs to settle them.
 *
 * <p>Thread-safe where it says so: the verifier threads read it (an early refusal, before any
 * signature check, when the cap is reached and nothing is evictable); the writer thread decides
 * ({@link #refuse}), notes what it stages ({@link #placed}) and publishes ({@link #committed}).
 */
final class FeedCap {

    private static final System.Logger LOG = System.getLogger(FeedCap.class.getName());
    /** Evicted authors remembered, so that a peer pushing one's next events is not taken for a liar. */
    static final int RECENT_EVICTIONS = 10_000;

    private final int max;
    private final NodeId self;
    private final Map<NodeId, FeedHead> committedHeads;
    private final AtomicInteger feeds;
    private final Set<NodeId> counterparties = ConcurrentHashMap.newKeySet();
    /** Authors evicted lately, newest last: a peer may still push their next events (bounded, any thread). */
    private final Map<NodeId, Boolean> recentlyEvicted = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<NodeId, Boolean> eldest) {
                    return size() > RECENT_EVICTIONS;
                }
            });
    private volatile java.util.function.Predicate<NodeId> kept = id -> false; // the node's connected peers
    private final FeedEviction eviction;
    private final List<Consumer<List<NodeId>>> evictionListeners = new CopyOnWriteArrayList<>();

    FeedCap(int max, NodeId self, Map<NodeId, FeedHead> committedHeads, FeedEviction eviction) {
        this.max = max;
        this.self = self;
        this.committedHeads = committedHeads;
        this.feeds = new AtomicInteger(committedHeads.size()); // once, at open: the map's size() walks it
        this.eviction = eviction;
    }

    /** Notes the counterparty an own event names (at open for the stored feed, then on the writer). */
    void own(SignedEvent e) {
        if (e.body() instanceof EventBody.ServiceProposed p) {
            counterparties.add(p.requester());
        } else if (e.body() instanceof EventBody.ServiceAcknowledged a) {
            counterparties.add(a.server());
        }
    }

    /** On the writer: {@code e} is being staged (own or ingested). */
    void placed(SignedEvent e) {
        if (e.author().equals(self)) {
            own(e);
        } else {
            eviction.placed(e);
        }
    }

    /** An early answer on any thread: a rejection when {@code author}'s feed is not held, the cap is reached and nothing can go. */
    IngestOutcome.Rejected precheck(NodeId author) {
        return feeds.get() >= max && eviction.size() == 0 && !committedHeads.containsKey(author)
                && !counterparties.contains(author) ? rejection(author) : null;
    }

    /**
     * On the writer, for an event that would start {@code author}'s feed in {@code batch}: null when
     * it fits (below the cap, a counterparty, or a feed was evicted for it in the batch), else the
     * rejection. A feed the batch has just evicted is refused until a later batch (its events are
     * being deleted by this one). Only committed feeds are candidates: a flood that reaches the
     * writer in one commit is refused beyond the cap once they run out, and its later commits evict.
     */
    IngestOutcome.Rejected refuse(NodeId author, CommitBatch batch) {
        if (batch.isEvicted(author)) {
            return rejection(author);
        }
        if (counterparties.contains(author) || feeds.get() + batch.newFeeds() - batch.evicted().size() < max) {
            return null;
        }
        return eviction.evictOne(batch, id -> counterparties.contains(id) || kept.test(id)) ? null : rejection(author);
    }

    /** On the writer, after a durable commit, before its staged heads are published. */
    void committed(CommitBatch batch) {
        eviction.committed(batch, committedHeads);
        for (FeedHead gone : batch.evicted()) {
            committedHeads.remove(gone.author());
        }
        feeds.addAndGet(batch.newFeeds() - batch.evicted().size());
        if (!batch.evicted().isEmpty()) {
            List<NodeId> gone = batch.evicted().stream().map(FeedHead::author).toList();
            gone.forEach(a -> recentlyEvicted.put(a, Boolean.TRUE));
            for (Consumer<List<NodeId>> l : evictionListeners) {
                try {
                    l.accept(gone);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "an eviction listener failed", e);
                }
            }
        }
    }

    /** Whether {@code author}'s feed was among the last {@link #RECENT_EVICTIONS} evicted; any thread. */
    boolean recentlyEvicted(NodeId author) {
        return recentlyEvicted.containsKey(author);
    }

    /** Feeds never evicted while {@code keep} says so (the node's connected peers); any thread. */
    void keep(java.util.function.Predicate<NodeId> keep) {
        kept = keep;
    }

    /** Any thread: {@code listener} is told the authors of the feeds each commit evicts (on the writer). */
    void onEvicted(Consumer<List<NodeId>> listener) {
        evictionListeners.add(listener);
    }

    /** On the writer, after a failed commit. */
    void failed(CommitBatch batch) {
        eviction.failed(batch);
    }

    int feeds() {
        return feeds.get();
    }

    private IngestOutcome.Rejected rejection(NodeId author) {
        return new IngestOutcome.Rejected(Rejection.FEED_LIMIT, "this node holds " + feeds.get()
                + " feeds, its limit, and none it may evict: the feed of " + author.shortHex() + " is not taken");
    }
}
