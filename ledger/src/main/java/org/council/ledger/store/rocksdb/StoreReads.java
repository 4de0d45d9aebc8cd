package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.council.crypto.NodeId;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.AccountTotals;
import org.council.ledger.projection.ProjectionKeys;
import org.council.ledger.store.Account;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.PendingReceipt;

/**
 * The read side of a RocksDB ledger: committed feeds, heads and projections, for the live store
 * and the read-only one alike. Holds the in-memory feed heads and event count that the writer
 * publishes after each commit.
 *
 * <p>Thread-safe: reads go to RocksDB (thread-safe) or to concurrent maps; streams hold a native
 * iterator that their {@code close()} releases.
 */
final class StoreReads {

    /**
     * Events decoded per task by {@link #allEvents}: large enough to dwarf a task's overhead. A
     * chunk also ends at {@link #SCAN_CHUNK_BYTES} of envelopes, so that a log of maximum-size
     * events (64 KB each) holds a few MB in flight, not a hundred.
     */
    private static final int SCAN_CHUNK = 1024;
    private static final int SCAN_CHUNK_BYTES = 2 << 20;

    private final RocksHandles db;
    final ConcurrentSkipListMap<NodeId, FeedHead> heads = new ConcurrentSkipListMap<>();
    final AtomicLong eventCount = new AtomicLong();

    StoreReads(RocksHandles db) {
        this.db = db;
        try (RocksHandles.Cursor c = db.cursor(Columns.HEADS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                NodeId author = StoreKeys.headAuthor(c.key());
                heads.put(author, StoreKeys.decodeHead(author, c.value()));
            }
        }
        byte[] count = db.get(Columns.META, StoreKeys.EVENT_COUNT);
        eventCount.set(count == null ? 0 : StoreKeys.decodeLong(count));
    }

    Optional<FeedHead> head(NodeId author) {
        return Optional.ofNullable(heads.get(author));
    }

    List<FeedHead> heads() {
        return List.copyOf(heads.values());
    }

    Optional<SignedEvent> event(NodeId author, long seq) {
        byte[] envelope = db.get(Columns.EVENTS, StoreKeys.event(author, seq));
        return Optional.ofNullable(envelope).map(EventCodec::decodeTrusted);
    }

    Optional<SignedEvent> event(EventId id) {
        byte[] key = db.get(Columns.EVENT_IDS, StoreKeys.eventId(id));
        return key == null ? Optional.empty() : Optional.ofNullable(db.get(Columns.EVENTS, key)).map(EventCodec::decodeTrusted);
    }

    Optional<byte[]> envelope(EventId id) {
        byte[] key = db.get(Columns.EVENT_IDS, StoreKeys.eventId(id));
        return key == null ? Optional.empty() : Optional.ofNullable(db.get(Columns.EVENTS, key));
    }

    Stream<SignedEvent> feed(NodeId author, long fromSeq, int limit) {
        byte[] from = StoreKeys.event(author, Math.max(1, fromSeq));
        byte[] until = StoreKeys.event(author, Long.MAX_VALUE);
        return events(db.cursor(Columns.EVENTS, from, until)).limit(Math.max(0, limit));
    }

    List<byte[]> feedEnvelopes(NodeId author, long fromSeq, int limit, int maxBytes) {
        List<byte[]> out = new ArrayList<>();
        int bytes = 0;
        try (RocksHandles.Cursor c = db.cursor(Columns.EVENTS, StoreKeys.event(author, Math.max(1, fromSeq)),
                StoreKeys.event(author, Long.MAX_VALUE))) {
            for (; c.valid() && out.size() < limit; c.next()) {
                byte[] envelope = c.value();
                if (!out.isEmpty() && bytes + envelope.length > maxBytes) {
                    break;
                }
                out.add(envelope);
                bytes += envelope.length;
            }
        }
        return out;
    }

    /**
     * Every event, decoded a chunk ahead on the common pool while the caller consumes the chunk
     * before: the start-up scan of a long-lived node is decoding (Protobuf and a SHA-256 per
     * event) and the read models' work in about equal parts, so the two overlap on two cores.
     */
    Stream<SignedEvent> allEvents() {
        RocksHandles.Cursor cursor = db.scanCursor(Columns.EVENTS, new byte[0], null);
        Spliterator<SignedEvent> it = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private SignedEvent[] chunk = new SignedEvent[0];
            private int next;
            private ForkJoinTask<SignedEvent[]> ahead = decodeNext(cursor);

            @Override
            public boolean tryAdvance(Consumer<? super SignedEvent> action) {
                if (next == chunk.length) {
                    chunk = ahead.join();
                    next = 0;
                    if (chunk.length == 0) {
                        return false;
                    }
                    ahead = decodeNext(cursor);
                }
                SignedEvent e = chunk[next];
                chunk[next++] = null;
                action.accept(e);
                return true;
            }
        };
        // a decode in flight holds copies of its envelopes, never the cursor: closing early is safe
        return StreamSupport.stream(it, false).onClose(cursor::close);
    }

    // Reads the next chunk's envelopes here (cursors are not for sharing between threads) and
    // forks their decoding.
    private static ForkJoinTask<SignedEvent[]> decodeNext(RocksHandles.Cursor cursor) {
        List<byte[]> envelopes = new ArrayList<>(SCAN_CHUNK);
        for (int bytes = 0; cursor.valid() && envelopes.size() < SCAN_CHUNK && bytes < SCAN_CHUNK_BYTES;
                cursor.next()) {
            byte[] envelope = cursor.value();
            envelopes.add(envelope);
            bytes += envelope.length;
        }
        return ForkJoinPool.commonPool().submit(() -> {
            SignedEvent[] out = new SignedEvent[envelopes.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = EventCodec.decodeTrusted(envelopes.get(i));
            }
            return out;
        });
    }

    private static Stream<SignedEvent> events(RocksHandles.Cursor cursor) {
        Spliterator<SignedEvent> it = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super SignedEvent> action) {
                if (!cursor.valid()) {
                    return false;
                }
                action.accept(EventCodec.decodeTrusted(cursor.value()));
                cursor.next();
                return true;
            }
        };
        return StreamSupport.stream(it, false).onClose(cursor::close);
    }

    Account account(NodeId id) {
        return toAccount(id, AccountTotals.decodeValue(db.get(Columns.PROJECTIONS, ProjectionKeys.account(id))));
    }

    List<Account> accounts() {
        List<Account> out = new ArrayList<>();
        try (RocksHandles.Cursor c = db.cursor(Columns.PROJECTIONS, ProjectionKeys.accountsFrom(),
                ProjectionKeys.accountsUntil())) {
            for (; c.valid(); c.next()) {
                out.add(toAccount(ProjectionKeys.accountOf(c.key()), AccountTotals.decodeValue(c.value())));
            }
        }
        return out;
    }

    private Account toAccount(NodeId id, AccountTotals t) {
        return new Account(id, t.earnedMilli(), t.spentMilli(), t.pendingEarnedMilli(), t.servedJobs(),
                t.requestedJobs(), isEquivocator(id));
    }

    List<PendingReceipt> unpaid(NodeId server) {
        List<PendingReceipt> out = new ArrayList<>();
        byte[] from = ProjectionKeys.pendingProposalPrefix(server);
        byte[] until = from.clone();
        until[until.length - 1]++;
        boolean overflow = until[until.length - 1] == 0;
        try (RocksHandles.Cursor c = db.cursor(Columns.PROJECTIONS, from, overflow ? null : until)) {
            for (; c.valid(); c.next()) {
                if (!ProjectionKeys.isPendingProposal(c.key(), from)) {
                    break;
                }
                ProjectionKeys.PendingProposal p = ProjectionKeys.decodeProposal(c.key(), c.value());
                out.add(new PendingReceipt(server, p.seq(), p.requester(), p.creditsMilli()));
            }
        }
        return out;
    }

    List<EquivocationProof> equivocations() {
        List<EquivocationProof> out = new ArrayList<>();
        try (RocksHandles.Cursor c = db.cursor(Columns.EQUIVOCATIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                out.add(StoreKeys.decodeProof(c.key(), c.value()));
            }
        }
        return out;
    }

    boolean isEquivocator(NodeId id) {
        return db.get(Columns.PROJECTIONS, ProjectionKeys.equivocator(id)) != null;
    }

    long eventCount() {
        return eventCount.get();
    }

    /** The stored projection state, key-sorted, for byte-for-byte comparisons in tests and tools. */
    List<byte[][]> projectionDump() {
        List<byte[][]> out = new ArrayList<>();
        try (RocksHandles.Cursor c = db.cursor(Columns.PROJECTIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                out.add(new byte[][] {c.key(), c.value()});
            }
        }
        return Collections.unmodifiableList(out);
    }
}
