package org.council.ledger.store.rocksdb;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * grows with the keys a stranger can generate, so the store refuses to start feeds beyond the cap.
 * Nothing is evicted: a feed once held stays. The own feed always has room (it does not go through
 * ingest), and so do counterparties' feeds: authors named by a receipt in the own feed (whom this
 * node served or who served it), whose halves of those receipts it needs to settle them.
 *
 * <p>Thread-safe: the verifier threads read it (an early refusal, before any signature check), the
 * writer thread decides and counts ({@link #refuse} with the feeds staged in its batch, then
 * {@link #added}).
 */
final class FeedCap {

    private final int max;
    private final Map<NodeId, FeedHead> committedHeads;
    private final AtomicInteger feeds;
    private final Set<NodeId> counterparties = ConcurrentHashMap.newKeySet();

    FeedCap(int max, Map<NodeId, FeedHead> committedHeads) {
        this.max = max;
        this.committedHeads = committedHeads;
        this.feeds = new AtomicInteger(committedHeads.size()); // once, at open: the map's size() walks it
    }

    /** Notes the counterparty an own event names (at open for the stored feed, then on the writer). */
    void own(SignedEvent e) {
        if (e.body() instanceof EventBody.ServiceProposed p) {
            counterparties.add(p.requester());
        } else if (e.body() instanceof EventBody.ServiceAcknowledged a) {
            counterparties.add(a.server());
        }
    }

    /** An early answer on any thread: a rejection when {@code author}'s feed is not held and the cap is reached. */
    IngestOutcome.Rejected precheck(NodeId author) {
        return feeds.get() >= max && !committedHeads.containsKey(author) && !counterparties.contains(author)
                ? rejection(author) : null;
    }

    /** On the writer: a rejection when a new feed would go beyond the cap, counting {@code staged} new feeds. */
    IngestOutcome.Rejected refuse(NodeId author, int staged) {
        return feeds.get() + staged >= max && !counterparties.contains(author) ? rejection(author) : null;
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
