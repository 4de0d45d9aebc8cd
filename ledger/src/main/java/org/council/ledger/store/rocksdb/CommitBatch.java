package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.ByteKey;
import org.council.ledger.projection.ProjectionState;
import org.rocksdb.WriteBatch;

/**
 * One group commit being assembled on the writer thread: the RocksDB write batch, and the staged
 * heads, events, proofs and projection entries that later events in the same batch must see.
 * Written to disk in one synced write; discarded whole if that write fails. Not thread-safe.
 */
final class CommitBatch implements ProjectionState, AutoCloseable {

    private static final byte[] TOMBSTONE = new byte[0];

    final WriteBatch writes = new WriteBatch();
    final List<SignedEvent> accepted = new ArrayList<>();
    final List<Runnable> onDurable = new ArrayList<>();
    private final RocksHandles db;
    private final Map<NodeId, FeedHead> committedHeads;
    private final Map<NodeId, FeedHead> heads = new HashMap<>();
    private final Map<ByteKey, SignedEvent> events;
    private final Set<ByteKey> proofs = new HashSet<>();
    private final Map<ByteKey, byte[]> projection = new HashMap<>();
    private final Map<NodeId, FeedHead> evicted = new HashMap<>();
    private long evictedEvents;
    private int newFeeds;
    private boolean dirty;

    /**
     * @param expectedEvents how many events the group holds at most: the per-event maps are sized
     *                       for it once rather than rehashed as they grow (a pull commits 1,024 at a time)
     */
    CommitBatch(RocksHandles db, Map<NodeId, FeedHead> committedHeads, int expectedEvents) {
        this.db = db;
        this.committedHeads = committedHeads;
        this.events = new HashMap<>((int) (expectedEvents / 0.75f) + 1);
    }

    FeedHead head(NodeId author) {
        FeedHead staged = heads.get(author);
        return staged != null || evicted.containsKey(author) ? staged : committedHeads.get(author);
    }

    Map<NodeId, FeedHead> stagedHeads() {
        return heads;
    }

    void stageEvent(SignedEvent e) {
        byte[] key = StoreKeys.event(e.author(), e.seq());
        db.put(writes, Columns.EVENTS, key, e.envelopeUnsafe());
        db.put(writes, Columns.EVENT_IDS, StoreKeys.eventId(e.id()), key);
        newFeeds += head(e.author()) == null ? 1 : 0;
        events.put(new ByteKey(key), e);
        dirty = true;
        heads.put(e.author(), new FeedHead(e.author(), e.seq(), e.id(), e.timestampMs()));
        accepted.add(e);
    }

    /**
     * Deletes a committed feed whole: its events (point deletes: at most {@link FeedEviction#MAX_EVENTS}
     * of them, and unlike a range tombstone nothing later reads has to skip them), their index
     * entries and its head. The feed must not be written by this batch.
     */
    void stageEviction(FeedHead head, List<SignedEvent> feed) {
        for (SignedEvent e : feed) {
            db.delete(writes, Columns.EVENTS, StoreKeys.event(e.author(), e.seq()));
            db.delete(writes, Columns.EVENT_IDS, StoreKeys.eventId(e.id()));
        }
        db.delete(writes, Columns.HEADS, StoreKeys.author(head.author()));
        evicted.put(head.author(), head);
        evictedEvents += feed.size();
        dirty = true;
    }

    boolean isEvicted(NodeId author) {
        return evicted.containsKey(author);
    }

    /** The committed heads of the feeds this batch evicts. */
    Collection<FeedHead> evicted() {
        return evicted.values();
    }

    long evictedEvents() {
        return evictedEvents;
    }

    /** Feeds this batch starts. */
    int newFeeds() {
        return newFeeds;
    }

    /** The stored or staged event at (author, seq), or null. */
    SignedEvent event(NodeId author, long seq) {
        byte[] key = StoreKeys.event(author, seq);
        SignedEvent staged = events.get(new ByteKey(key));
        if (staged != null) {
            return staged;
        }
        byte[] envelope = db.get(Columns.EVENTS, key);
        return envelope == null ? null : org.council.ledger.codec.EventCodec.decodeTrusted(envelope);
    }

    boolean hasProof(NodeId accused, long seq) {
        byte[] key = StoreKeys.event(accused, seq);
        return proofs.contains(new ByteKey(key)) || db.get(Columns.EQUIVOCATIONS, key) != null;
    }

    void stageProof(NodeId accused, long seq, SignedEvent first, SignedEvent second) {
        byte[] key = StoreKeys.event(accused, seq);
        proofs.add(new ByteKey(key));
        dirty = true;
        db.put(writes, Columns.EQUIVOCATIONS, key, StoreKeys.proof(first, second));
    }

    void putMeta(byte[] key, byte[] value) {
        db.put(writes, Columns.META, key, value);
    }

    int size() {
        return accepted.size();
    }

    /** Whether anything (events, proofs, projection entries) was staged. */
    boolean dirty() {
        return dirty || !projection.isEmpty();
    }

    /**
     * Moves the staged feed heads (one write per feed, however many of its events the group holds)
     * and projection entries into the write batch; call once, before writing.
     */
    void flush() {
        for (FeedHead h : heads.values()) {
            db.put(writes, Columns.HEADS, StoreKeys.author(h.author()), StoreKeys.head(h));
        }
        for (Map.Entry<ByteKey, byte[]> e : projection.entrySet()) {
            if (e.getValue() == TOMBSTONE) {
                db.delete(writes, Columns.PROJECTIONS, e.getKey().bytes());
            } else {
                db.put(writes, Columns.PROJECTIONS, e.getKey().bytes(), e.getValue());
            }
        }
        projection.clear();
    }

    @Override
    public byte[] get(byte[] key) {
        byte[] staged = projection.get(new ByteKey(key));
        if (staged != null) {
            return staged == TOMBSTONE ? null : staged;
        }
        return db.get(Columns.PROJECTIONS, key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        projection.put(new ByteKey(key), value);
    }

    @Override
    public void delete(byte[] key) {
        projection.put(new ByteKey(key), TOMBSTONE);
    }

    @Override
    public void close() {
        writes.close();
    }
}
