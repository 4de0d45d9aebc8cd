package org.council.ledger.store.rocksdb;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerException;

/**
 * A ledger opened with RocksDB's read-only mode and no key ({@link RocksLedgerStore#openReadOnly}):
 * the same reads and the same recovery check on open as the live store, no signer or writer
 * thread, and every write refused. What it reads is what was durable when it opened.
 *
 * <p>Thread-safe (reads only). Nothing it does changes the directory.
 */
final class ReadOnlyLedgerStore extends ReadsFromStore {

    private final RocksHandles db;
    private final StoreReads reads;

    private ReadOnlyLedgerStore(RocksHandles db, StoreReads reads) {
        this.db = db;
        this.reads = reads;
    }

    static ReadOnlyLedgerStore open(Path dir) {
        RocksHandles db = new RocksHandles(dir, false, true);
        try {
            StoreSchema.checkOrCreate(db);
            StoreReads reads = new StoreReads(db);
            TailCheck.run(db, reads.heads.values());
            StoreSchema.projectionsOutOfDate(db, reads.eventCount());
            return new ReadOnlyLedgerStore(db, reads);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** A read-only ledger is opened without a key: it has no own feed. */
    @Override
    public NodeId self() {
        throw new UnsupportedOperationException("a ledger opened read-only has no own feed");
    }

    @Override
    public CompletableFuture<SignedEvent> append(EventBody body) {
        return CompletableFuture.failedFuture(refused());
    }

    @Override
    public CompletableFuture<List<IngestOutcome>> ingest(List<byte[]> envelopes) {
        return CompletableFuture.failedFuture(refused());
    }

    @Override
    public CompletableFuture<List<IngestOutcome>> ingestFeed(NodeId expectedAuthor, List<byte[]> envelopes) {
        return CompletableFuture.failedFuture(refused());
    }

    /** Nothing ever commits through a read-only ledger: the listener is never called. */
    @Override
    public void onCommitted(Consumer<List<SignedEvent>> listener) {
    }

    @Override
    public ReplayReport rebuildProjections() {
        throw refused();
    }

    @Override
    public boolean projectionsMatchReplay() {
        return Replayer.matchesStored(db); // reads only; no writer to serialise with
    }

    @Override
    StoreReads reads() {
        return reads;
    }

    @Override
    public void close() {
        db.close();
    }

    private LedgerException refused() {
        return new LedgerException("ledger at " + db.dir() + " is open read-only; writes are refused");
    }
}
