package org.council.ledger.store.rocksdb;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.Account;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.PendingReceipt;

/**
 * The reads every RocksDB-backed store answers the same way, through its {@link StoreReads}: the
 * live store and the read-only one differ only in what they do about writes.
 */
abstract class ReadsFromStore implements LedgerStore {

    /** The store's reads; thread-safe. */
    abstract StoreReads reads();

    @Override
    public Optional<FeedHead> head(NodeId author) {
        return reads().head(author);
    }

    @Override
    public List<FeedHead> heads() {
        return reads().heads();
    }

    @Override
    public Optional<SignedEvent> event(NodeId author, long seq) {
        return reads().event(author, seq);
    }

    @Override
    public Optional<SignedEvent> event(EventId id) {
        return reads().event(id);
    }

    @Override
    public Optional<byte[]> envelope(EventId id) {
        return reads().envelope(id);
    }

    @Override
    public Stream<SignedEvent> feed(NodeId author, long fromSeq, int limit) {
        return reads().feed(author, fromSeq, limit);
    }

    @Override
    public List<byte[]> feedEnvelopes(NodeId author, long fromSeq, int limit, int maxBytes) {
        return reads().feedEnvelopes(author, fromSeq, limit, maxBytes);
    }

    @Override
    public Stream<SignedEvent> allEvents() {
        return reads().allEvents();
    }

    @Override
    public Account account(NodeId id) {
        return reads().account(id);
    }

    @Override
    public List<Account> accounts() {
        return reads().accounts();
    }

    @Override
    public List<PendingReceipt> unpaid(NodeId server) {
        return reads().unpaid(server);
    }

    @Override
    public List<EquivocationProof> equivocations() {
        return reads().equivocations();
    }

    @Override
    public boolean isEquivocator(NodeId id) {
        return reads().isEquivocator(id);
    }

    @Override
    public long eventCount() {
        return reads().eventCount();
    }
}
