package org.council.ledger.store.rocksdb;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerCorruptedException;
import org.council.ledger.store.LedgerException;
import org.council.ledger.store.LedgerInUseException;
import org.council.ledger.store.LedgerStore;

/**
 * The RocksDB implementation of {@link LedgerStore}: its lifecycle (open, recovery check, close)
 * and its writes (the signer and writer threads, the ingest pipeline). Reads are served by
 * {@link StoreReads}. See the interface for the thread-safety and durability contract; see
 * {@link Columns} for the on-disk layout.
 */
public final class RocksLedgerStore extends ReadsFromStore {

    /** The on-disk layout version this build writes and reads. */
    public static final int SCHEMA_VERSION = StoreSchema.VERSION;

    private final RocksHandles db;
    private final NodeKeyPair keys;
    private final StoreReads reads;
    private final WriteLoop writer;
    private final OwnFeedSigner signer;
    private final IngestPipeline ingests;
    private final FeedCap feedCap;
    private final OwnFeedGate gate = new OwnFeedGate(System::nanoTime,
            Long.getLong("council.ownfeed.recoveryTimeoutMs", OwnFeedGate.DEFAULT_RECOVERY_TIMEOUT_MS));
    private final Thread writerThread;
    private final Thread signerThread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RocksLedgerStore(Path dir, NodeKeyPair keys, LedgerConfig config) {
        this.db = new RocksHandles(dir, config.syncWrites());
        this.keys = keys;
        try {
            StoreSchema.checkOrCreate(db);
            this.reads = new StoreReads(db);
            TailCheck.run(db, reads.heads.values());
            this.feedCap = new FeedCap(config.maxFeeds(), keys.id(), reads.heads,
                    new FeedEviction(db, keys.id(), reads.heads.values()));
            try (var own = reads.feed(keys.id(), 1, Integer.MAX_VALUE)) {
                own.forEach(feedCap::own);
            }
            this.writer = new WriteLoop(db, keys.id(), reads.heads, reads.eventCount, config.maxBatchEvents(),
                    this::append, this::resyncSigner, feedCap);
            this.signer = new OwnFeedSigner(keys, reads.heads.get(keys.id()), config.clockMillis(), writer,
                    config.maxBatchEvents(), gate, config.maxClockSkewMs() / 2);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        this.ingests = new IngestPipeline(new Prechecker(db, keys.id(), new SignatureVerifier(), config, feedCap), writer,
                config.verifierThreads());
        this.writerThread = new Thread(writer, "ledger-writer");
        this.writerThread.setDaemon(true);
        this.writerThread.start();
        this.signerThread = new Thread(signer, "ledger-signer");
        this.signerThread.setDaemon(true);
        this.signerThread.start();
        if (StoreSchema.projectionsOutOfDate(db, reads.eventCount())) {
            rebuildProjections();
        }
    }

    /**
     * Opens (or creates) the ledger in {@code dir} for the node {@code keys}.
     *
     * @throws LedgerCorruptedException when the stored chain does not verify at its tail
     * @throws LedgerInUseException     when another store (a running node) holds the directory
     * @throws LedgerException          when the directory cannot be opened (unknown schema, I/O)
     */
    public static RocksLedgerStore open(Path dir, NodeKeyPair keys, LedgerConfig config) {
        return new RocksLedgerStore(dir, keys, config);
    }

    /**
     * Opens an existing ledger read-only, without a key: for offline audit and export. No signer
     * or writer thread runs; appends and ingests complete exceptionally, rebuilds are refused.
     * RocksDB's read-only mode takes no lock, so a running node is detected through the lock file
     * every read-write store holds ({@link LedgerInUseException}).
     *
     * @throws LedgerCorruptedException when the stored chain does not verify at its tail
     * @throws LedgerInUseException     when a running node holds the directory
     * @throws LedgerException          when there is no ledger in {@code dir} or it cannot be read
     */
    public static LedgerStore openReadOnly(Path dir) {
        return ReadOnlyLedgerStore.open(dir);
    }

    private void resyncSigner(FeedHead durableHead) {
        signer.resync(durableHead);
    }

    @Override
    public NodeId self() {
        return keys.id();
    }

    @Override
    public CompletableFuture<SignedEvent> append(EventBody body) {
        CompletableFuture<SignedEvent> result = new WriterFuture<>(writer);
        signer.submit(body, result);
        return result;
    }

    @Override
    public CompletableFuture<List<IngestOutcome>> ingest(List<byte[]> envelopes) {
        return ingestFeed(null, envelopes);
    }

    @Override
    public CompletableFuture<List<IngestOutcome>> ingestFeed(NodeId expectedAuthor, List<byte[]> envelopes) {
        CompletableFuture<List<IngestOutcome>> result = new WriterFuture<>(writer);
        if (closed.get()) {
            result.completeExceptionally(new LedgerException("ledger is closed"));
            return result;
        }
        ingests.submit(expectedAuthor, envelopes, result);
        return result;
    }

    @Override
    public void ownFeedSeenAt(long seq) {
        gate.seenAt(seq);
    }

    @Override
    public void holdOwnAppends(long maxWaitMs) {
        gate.hold(maxWaitMs);
    }

    @Override
    public void releaseOwnAppendHold() {
        gate.release();
    }

    @Override
    public void onCommitted(Consumer<List<SignedEvent>> listener) {
        writer.addListener(listener);
    }

    @Override
    public void onEvicted(Consumer<List<NodeId>> listener) {
        feedCap.onEvicted(listener);
    }

    @Override
    public void keepFeeds(java.util.function.Predicate<NodeId> keep) {
        feedCap.keep(keep);
    }

    @Override
    public boolean recentlyEvicted(NodeId author) {
        return feedCap.recentlyEvicted(author);
    }

    @Override
    public ReplayReport rebuildProjections() {
        writer.refuseBlockingOnWriter("rebuildProjections()");
        CompletableFuture<ReplayReport> report = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(new WriteLoop.Exclusive(() -> report.complete(Replayer.rebuild(db, reads.eventCount())), done));
        done.join();
        return report.join();
    }

    @Override
    public boolean projectionsMatchReplay() {
        writer.refuseBlockingOnWriter("projectionsMatchReplay()");
        CompletableFuture<Boolean> match = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(new WriteLoop.Exclusive(() -> match.complete(Replayer.matchesStored(db)), done));
        done.join();
        return match.join();
    }

    /** The stored projection state, key-sorted, for byte-for-byte comparisons in tests and tools. */
    public List<byte[][]> projectionDump() {
        return reads.projectionDump();
    }

    /**
     * RocksDB's memory now, in bytes, by kind (block cache, memtables, table readers): for
     * operators and benchmarks sizing a node.
     */
    public java.util.Map<String, Long> memoryUsage() {
        return db.memoryUsage();
    }

    @Override
    StoreReads reads() {
        return reads;
    }

    @Override
    public void close() {
        writer.refuseBlockingOnWriter("close()");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ingests.awaitQueued();
        signer.stop();
        try {
            signerThread.join(TimeUnit.SECONDS.toMillis(30));
            writer.stop();
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingests.shutdown();
        db.close();
    }
}
