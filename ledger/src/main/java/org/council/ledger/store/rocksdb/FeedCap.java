package org.council.ledger.store.rocksdb;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.Rejection;

/**
 * The global bound on feeds ({@link LedgerConfig#maxFeeds()}): everything that grows with the
 * number of feeds (heads in memory, the clocks sent at every handshake, tail checks at start-up)
 * grows with the keys a stranger can generate, so the store refuses to start feeds beyond the cap.
 * Nothing is evicted: a feed once held stays, the own feed always has room (it does not go through
 * ingest), and a counterparty's feed that is not yet held is refused like any other once full.
 *
 * <p>Thread-safe: the verifier threads read it (an early refusal, before any signature check), the
 * writer thread decides and counts ({@link #refuse} with the feeds staged in its batch, then
 * {@link #added}).
 */
final class FeedCap {

    private final int max;
    private final Map<NodeId, FeedHead> committedHeads;
    private final AtomicInteger feeds;

    FeedCap(int max, Map<NodeId, FeedHead> committedHeads) {
        this.max = max;
        this.committedHeads = committedHeads;
        this.feeds = new AtomicInteger(committedHeads.size()); // once, at open: the map's size() walks it
    }

    /** An early answer on any thread: a rejection when {@code author}'s feed is not held and the cap is reached. */
    IngestOutcome.Rejected precheck(NodeId author) {
        return feeds.get() >= max && !committedHeads.containsKey(author) ? rejection(author) : null;
    }

    /** On the writer: a rejection when a new feed would go beyond the cap, counting {@code staged} new feeds. */
    IngestOutcome.Rejected refuse(NodeId author, int staged) {
        return feeds.get() + staged >= max ? rejection(author) : null;
    }

    /** On the writer, after a commit that started {@code n} feeds. */
    void added(int n) {
        feeds.addAndGet(n);
    }

    int feeds() {
        return feeds.get();
    }

    private IngestOutcome.Rejected rejection(NodeId author) {
        return new IngestOutcome.Rejected(Rejection.FEED_LIMIT, "this node holds " + feeds.get()
                + " feeds, its limit: the feed of " + author.shortHex() + " is not taken");
    }
}
