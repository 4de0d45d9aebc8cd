package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.council.crypto.NodeId;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.Projections;

/**
 * Which held feed makes room when a new one would pass the feed cap ({@link FeedCap}): the feed
 * the node has the least reason to hold.
 *
 * <p><b>Never evicted</b>, so that balances, karma and fork evidence never change by eviction:
 * the own feed; counterparties (authors named by a receipt in the own feed); any feed holding an
 * event that a projection or the karma graph reads (a receipt half, a rating, an equivocation
 * proof); any feed whose author is a proven equivocator; any feed of more than {@link #MAX_EVENTS}
 * events. What may go holds only capability announcements and unknown kinds, which change no
 * projection: the projections of the remaining events are byte for byte those of before, so
 * {@code projectionsMatchReplay()} keeps holding without a rebuild.
 *
 * <p><b>Order</b>: fewest events first (the flood's shape is many one-event feeds; a feed that
 * kept writing is more connected), then the oldest head timestamp (a feed quiet the longest; an
 * author may backdate its events, which only makes its own feed go sooner, and cannot date them
 * beyond the allowed clock skew to outlive active feeds), then the author's key.
 *
 * <p><b>Cost</b>: an ordered set of the candidates' committed heads, built at open from the heads
 * the store loads anyway (no event is read), kept current after each commit (O(log n) per feed a
 * commit touched). Whether a candidate loaded at open holds a pinned kind is learnt lazily when it
 * is first examined (at most {@link #MAX_EVENTS} point reads); a candidate found pinned leaves the
 * set for good, and at most {@link #MAX_EXAMINED} are examined per new feed, so the writer never
 * walks the set.
 *
 * <p>Confined to the ledger writer thread, except {@link #size()} (a volatile read for the
 * verifier threads' early refusal).
 */
final class FeedEviction {

    /** Feeds of more events than this are never evicted, and each examination reads at most this many events. */
    static final int MAX_EVENTS = 16;
    /** Most candidates examined (and found pinned) for one new feed before it is refused. */
    static final int MAX_EXAMINED = 64;

    private static final Comparator<FeedHead> LEAST_CONNECTED_FIRST = Comparator.comparingLong(FeedHead::seq)
            .thenComparingLong(FeedHead::timestampMs).thenComparing(FeedHead::author);

    private final RocksHandles db;
    private final NodeId self;
    // Accessed by the ledger writer thread
    private final TreeSet<FeedHead> candidates = new TreeSet<>(LEAST_CONNECTED_FIRST);
    // Accessed by the ledger writer thread: held feeds known to hold a pinned kind (a subset of held feeds)
    private final Set<NodeId> pinned = new HashSet<>();
    private volatile int size;

    FeedEviction(RocksHandles db, NodeId self, Collection<FeedHead> heads) {
        this.db = db;
        this.self = self;
        for (FeedHead h : heads) {
            if (eligible(h)) {
                candidates.add(h);
            }
        }
        size = candidates.size();
    }

    /** Whether an event of this kind keeps its feed for good: projections or karma read it. */
    static boolean pins(EventKind kind) {
        return kind != EventKind.CAPABILITIES_ANNOUNCED && kind != EventKind.UNKNOWN;
    }

    /** How many feeds may currently be evicted (some may yet turn out pinned); any thread. */
    int size() {
        return size;
    }

    /** An event of {@code e}'s author is being staged: a pinned kind keeps that feed from now on. */
    void placed(SignedEvent e) {
        if (pins(e.kind()) && e.seq() <= MAX_EVENTS) { // a longer feed is no candidate anyway
            pinned.add(e.author());
        }
    }

    /**
     * Stages the eviction of the least connected evictable feed in {@code batch}; false when none
     * was found among the candidates examined. Feeds the batch writes to are passed over (their
     * events would be deleted with the rest), and so are the feeds {@code kept} names.
     */
    boolean evictOne(CommitBatch batch, Predicate<NodeId> kept) {
        List<FeedHead> busy = new ArrayList<>();
        try {
            for (int examined = 0; examined < MAX_EXAMINED; ) {
                FeedHead victim = candidates.pollFirst();
                if (victim == null) {
                    return false;
                }
                if (batch.stagedHeads().containsKey(victim.author())) {
                    busy.add(victim); // a candidate still, after this batch
                    continue;
                }
                examined++;
                List<SignedEvent> events = kept.test(victim.author()) ? null : evictable(batch, victim);
                if (events == null) {
                    pinned.add(victim.author());
                    continue;
                }
                batch.stageEviction(victim, events);
                return true;
            }
            return false;
        } finally {
            candidates.addAll(busy);
            size = candidates.size();
        }
    }

    /** The feed's events when all of them may go, else null. */
    private List<SignedEvent> evictable(CommitBatch batch, FeedHead victim) {
        if (Projections.isEquivocator(batch, victim.author())) {
            return null;
        }
        List<SignedEvent> events = new ArrayList<>((int) victim.seq());
        try (RocksHandles.Cursor c = db.cursor(Columns.EVENTS, StoreKeys.event(victim.author(), 1),
                StoreKeys.event(victim.author(), MAX_EVENTS + 1))) {
            for (; c.valid(); c.next()) {
                SignedEvent e = EventCodec.decodeTrusted(c.value());
                if (pins(e.kind())) {
                    return null;
                }
                events.add(e);
            }
        }
        // a feed that is not exactly its head's length is left alone: the open-time check reports it
        return events.size() == victim.seq() ? events : null;
    }

    /** After a durable commit, before the heads it staged are published in {@code committedHeads}. */
    void committed(CommitBatch batch, java.util.Map<NodeId, FeedHead> committedHeads) {
        for (FeedHead h : batch.stagedHeads().values()) {
            FeedHead old = committedHeads.get(h.author());
            if (old != null) {
                candidates.remove(old);
            }
            if (eligible(h)) {
                candidates.add(h);
            }
        }
        size = candidates.size(); // the evicted left the set when they were staged
    }

    /** After a failed commit: the feeds it would have evicted are still held, and candidates again. */
    void failed(CommitBatch batch) {
        candidates.addAll(batch.evicted());
        size = candidates.size();
    }

    private boolean eligible(FeedHead h) {
        return h.seq() <= MAX_EVENTS && !h.author().equals(self) && !pinned.contains(h.author());
    }
}
