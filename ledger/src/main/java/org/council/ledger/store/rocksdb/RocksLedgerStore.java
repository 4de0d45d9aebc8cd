package org.council.ledger.store.rocksdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.AccountTotals;
import org.council.ledger.projection.ProjectionKeys;
import org.council.ledger.projection.Projections;
import org.council.ledger.store.Account;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerCorruptedException;
import org.council.ledger.store.LedgerException;
import org.council.ledger.store.LedgerStore;

/**
 * The RocksDB implementation of {@link LedgerStore}. See the interface for the thread-safety and
 * durability contract; see {@link Columns} for the on-disk layout.
 */
public final class RocksLedgerStore implements LedgerStore {

    /** The on-disk layout version this build writes and reads. */
    public static final int SCHEMA_VERSION = 1;
    private static final System.Logger LOG = System.getLogger(RocksLedgerStore.class.getName());
    private static final int VERIFY_CHUNK = 128;

    private final RocksHandles db;
    private final NodeKeyPair keys;
    private final ConcurrentSkipListMap<NodeId, FeedHead> heads = new ConcurrentSkipListMap<>();
    private final AtomicLong eventCount = new AtomicLong();
    private final Prechecker prechecker;
    private final WriteLoop writer;
    private final OwnFeedSigner signer;
    private final Thread writerThread;
    private final Thread signerThread;
    private final ExecutorService verifiers;
    private final Object ingestOrder = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private CompletableFuture<Void> lastIngestQueued = CompletableFuture.completedFuture(null);

    private RocksLedgerStore(Path dir, NodeKeyPair keys, LedgerConfig config) {
        this.db = new RocksHandles(dir, config.syncWrites());
        this.keys = keys;
        try {
            checkSchema();
            loadHeads();
            TailCheck.run(db, heads.values());
            this.prechecker = new Prechecker(db, keys.id(), new SignatureVerifier(), config);
            this.writer = new WriteLoop(db, keys.id(), heads, eventCount, config.maxBatchEvents(),
                    this::append, this::resyncSigner);
            this.signer = new OwnFeedSigner(keys, heads.get(keys.id()), config.clockMillis(), writer,
                    config.maxBatchEvents());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        this.verifiers = Executors.newFixedThreadPool(config.verifierThreads(), r -> {
            Thread t = new Thread(r, "ledger-verifier-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.writerThread = new Thread(writer, "ledger-writer");
        this.writerThread.setDaemon(true);
        this.writerThread.start();
        this.signerThread = new Thread(signer, "ledger-signer");
        this.signerThread.setDaemon(true);
        this.signerThread.start();
        checkProjections();
    }

    /**
     * Opens (or creates) the ledger in {@code dir} for the node {@code keys}.
     *
     * @throws LedgerCorruptedException when the stored chain does not verify at its tail
     * @throws LedgerException          when the directory cannot be opened (in use, unknown schema)
     */
    public static RocksLedgerStore open(Path dir, NodeKeyPair keys, LedgerConfig config) {
        return new RocksLedgerStore(dir, keys, config);
    }

    private void checkSchema() {
        byte[] version = db.get(Columns.META, StoreKeys.SCHEMA_VERSION);
        if (version == null) {
            try (RocksHandles.Cursor c = db.cursor(Columns.EVENTS, new byte[0], null)) {
                if (c.valid()) {
                    throw new LedgerCorruptedException("ledger at " + db.dir() + " holds events but no schema version");
                }
            }
            try (org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch()) {
                db.put(b, Columns.META, StoreKeys.SCHEMA_VERSION, StoreKeys.longValue(SCHEMA_VERSION));
                db.put(b, Columns.META, StoreKeys.PROJECTION_VERSION, StoreKeys.longValue(Projections.VERSION));
                db.write(b);
            }
            return;
        }
        long v = StoreKeys.decodeLong(version);
        if (v != SCHEMA_VERSION) {
            throw new LedgerException("ledger at " + db.dir() + " has schema version " + v
                    + " but this build of Council reads version " + SCHEMA_VERSION
                    + (v > SCHEMA_VERSION ? "; it was written by a newer Council" : "") + ". Refusing to open it.");
        }
    }

    private void loadHeads() {
        try (RocksHandles.Cursor c = db.cursor(Columns.HEADS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                NodeId author = NodeId.of(c.key());
                heads.put(author, StoreKeys.decodeHead(author, c.value()));
            }
        }
        byte[] count = db.get(Columns.META, StoreKeys.EVENT_COUNT);
        eventCount.set(count == null ? 0 : StoreKeys.decodeLong(count));
    }

    private void checkProjections() {
        byte[] version = db.get(Columns.META, StoreKeys.PROJECTION_VERSION);
        byte[] applied = db.get(Columns.META, StoreKeys.PROJECTION_APPLIED);
        long appliedCount = applied == null ? 0 : StoreKeys.decodeLong(applied);
        if (version == null || StoreKeys.decodeLong(version) != Projections.VERSION || appliedCount != eventCount.get()) {
            LOG.log(System.Logger.Level.INFO, "projections are out of date (checkpoint " + appliedCount + " of "
                    + eventCount.get() + " events); rebuilding them from the log");
            rebuildProjections();
        }
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
        List<CompletableFuture<List<Prechecker.Checked>>> chunks = new ArrayList<>();
        for (int from = 0; from < envelopes.size(); from += VERIFY_CHUNK) {
            List<byte[]> chunk = envelopes.subList(from, Math.min(envelopes.size(), from + VERIFY_CHUNK));
            chunks.add(CompletableFuture.supplyAsync(() -> {
                List<Prechecker.Checked> out = new ArrayList<>(chunk.size());
                for (byte[] envelope : chunk) {
                    out.add(prechecker.check(envelope, expectedAuthor));
                }
                return out;
            }, verifiers));
        }
        CompletableFuture<List<Prechecker.Checked>> checked = CompletableFuture
                .allOf(chunks.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    List<Prechecker.Checked> all = new ArrayList<>(envelopes.size());
                    chunks.forEach(c -> all.addAll(c.join()));
                    return all;
                });
        // Hand batches to the writer in the order callers submitted them, whatever order their
        // verification finishes in, so that a feed split across calls arrives in seq order.
        synchronized (ingestOrder) {
            lastIngestQueued = lastIngestQueued.handle((v, e) -> null)
                    .thenCombine(checked.handle((list, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        }
                        return list;
                    }), (v, list) -> {
                        if (list != null) {
                            writer.submit(new WriteLoop.Ingest(list, result));
                        }
                        return null;
                    });
        }
        return result;
    }

    @Override
    public Optional<FeedHead> head(NodeId author) {
        return Optional.ofNullable(heads.get(author));
    }

    @Override
    public List<FeedHead> heads() {
        return List.copyOf(heads.values());
    }

    @Override
    public Optional<SignedEvent> event(NodeId author, long seq) {
        byte[] envelope = db.get(Columns.EVENTS, StoreKeys.event(author, seq));
        return Optional.ofNullable(envelope).map(EventCodec::decodeTrusted);
    }

    @Override
    public Optional<SignedEvent> event(EventId id) {
        byte[] key = db.get(Columns.EVENT_IDS, id.bytes());
        return key == null ? Optional.empty() : Optional.ofNullable(db.get(Columns.EVENTS, key)).map(EventCodec::decodeTrusted);
    }

    @Override
    public Stream<SignedEvent> feed(NodeId author, long fromSeq, int limit) {
        byte[] from = StoreKeys.event(author, Math.max(1, fromSeq));
        byte[] until = StoreKeys.event(author, Long.MAX_VALUE);
        return events(db.cursor(Columns.EVENTS, from, until)).limit(Math.max(0, limit));
    }

    @Override
    public List<byte[]> feedEnvelopes(NodeId author, long fromSeq, int limit, int maxBytes) {
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

    @Override
    public Stream<SignedEvent> allEvents() {
        return events(db.cursor(Columns.EVENTS, new byte[0], null));
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

    @Override
    public Account account(NodeId id) {
        AccountTotals t = AccountTotals.decodeValue(db.get(Columns.PROJECTIONS, ProjectionKeys.account(id)));
        return toAccount(id, t);
    }

    @Override
    public List<Account> accounts() {
        List<Account> out = new ArrayList<>();
        try (RocksHandles.Cursor c = db.cursor(Columns.PROJECTIONS, ProjectionKeys.accountsFrom(),
                ProjectionKeys.accountsUntil())) {
            for (; c.valid(); c.next()) {
                NodeId id = ProjectionKeys.accountOf(c.key());
                out.add(toAccount(id, AccountTotals.decodeValue(c.value())));
            }
        }
        return out;
    }

    private Account toAccount(NodeId id, AccountTotals t) {
        return new Account(id, t.earnedMilli(), t.spentMilli(), t.pendingEarnedMilli(), t.servedJobs(),
                t.requestedJobs(), isEquivocator(id));
    }

    @Override
    public List<org.council.ledger.store.PendingReceipt> unpaid(NodeId server) {
        List<org.council.ledger.store.PendingReceipt> out = new ArrayList<>();
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
                out.add(new org.council.ledger.store.PendingReceipt(server, p.seq(), p.requester(), p.creditsMilli()));
            }
        }
        return out;
    }

    @Override
    public List<EquivocationProof> equivocations() {
        List<EquivocationProof> out = new ArrayList<>();
        try (RocksHandles.Cursor c = db.cursor(Columns.EQUIVOCATIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[][] pair = StoreKeys.decodeProof(c.value());
                out.add(new EquivocationProof(StoreKeys.authorOf(c.key()), StoreKeys.seqOf(c.key()),
                        EventCodec.decodeTrusted(pair[0]), EventCodec.decodeTrusted(pair[1])));
            }
        }
        return out;
    }

    @Override
    public boolean isEquivocator(NodeId id) {
        return db.get(Columns.PROJECTIONS, ProjectionKeys.equivocator(id)) != null;
    }

    @Override
    public long eventCount() {
        return eventCount.get();
    }

    @Override
    public void onCommitted(Consumer<List<SignedEvent>> listener) {
        writer.addListener(listener);
    }

    @Override
    public ReplayReport rebuildProjections() {
        writer.refuseBlockingOnWriter("rebuildProjections()");
        CompletableFuture<ReplayReport> report = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(new WriteLoop.Exclusive(() -> report.complete(Replayer.rebuild(db, eventCount.get())), done));
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
        List<byte[][]> out = new ArrayList<>();
        try (RocksHandles.Cursor c = db.cursor(Columns.PROJECTIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                out.add(new byte[][] {c.key(), c.value()});
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public void close() {
        writer.refuseBlockingOnWriter("close()");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (ingestOrder) {
            lastIngestQueued.handle((v, e) -> null).join();
        }
        signer.stop();
        try {
            signerThread.join(TimeUnit.SECONDS.toMillis(30));
            writer.stop();
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        verifiers.shutdownNow();
        db.close();
    }
}
