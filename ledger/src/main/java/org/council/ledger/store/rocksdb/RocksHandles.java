package org.council.ledger.store.rocksdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.council.ledger.store.LedgerException;
import org.council.ledger.store.LedgerInUseException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Owns the RocksDB instance and every native object around it, closed once (handles before the
 * database). Every call checks "closed" first and wraps {@link RocksDBException} in
 * {@link LedgerException}. Thread-safe (RocksDB is).
 */
final class RocksHandles implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Map<Columns, ColumnFamilyHandle> handles = new EnumMap<>(Columns.class);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final Path dir;
    private final boolean readOnly;

    RocksHandles(Path dir, boolean sync) {
        this(dir, sync, false);
    }

    /**
     * @param readOnly open with RocksDB's read-only mode: no lock, no recovery writes, every write
     *                 refused; the directory must hold a ledger
     */
    RocksHandles(Path dir, boolean sync, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
        try {
            if (readOnly) {
                WriterLock.refuseIfHeld(dir);
            } else {
                Files.createDirectories(dir);
            }
            DBOptions dbOptions = own(new DBOptions()
                    .setCreateIfMissing(!readOnly)
                    .setCreateMissingColumnFamilies(!readOnly)
                    .setMaxBackgroundJobs(2)
                    // Small column families are rarely flushed, so without a cap the write-ahead log
                    // grows for ever and every start replays it (450 MB at 1M events: ~8 s of start-up).
                    .setMaxTotalWalSize(64L << 20)
                    .setKeepLogFileNum(3)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL));
            List<ColumnFamilyDescriptor> descriptors = RocksOptions.descriptors(this::own);
            List<ColumnFamilyHandle> opened = new ArrayList<>();
            this.db = readOnly ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, opened)
                    : RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
            // Handles close before the database: register them after it, close in reverse order.
            owned.add(db);
            owned.addAll(opened);
            for (int i = 0; i < Columns.ALL.size(); i++) {
                handles.put(Columns.ALL.get(i), opened.get(i + 1));
            }
            this.writeOptions = own(new WriteOptions().setSync(sync));
            if (!readOnly) {
                owned.add(WriterLock.take(dir)); // released first on close
            }
        } catch (RocksDBException e) {
            closeQuietly();
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("lock")) {
                throw new LedgerInUseException("ledger at " + dir + " is in use by another process (" + msg + ")", e);
            }
            throw new LedgerException("cannot open the ledger at " + dir + ": " + msg, e);
        } catch (java.io.IOException e) {
            closeQuietly();
            throw new LedgerException("cannot create the ledger directory " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    Path dir() {
        return dir;
    }

    byte[] get(Columns cf, byte[] key) {
        checkOpen();
        try {
            return db.get(handles.get(cf), key);
        } catch (RocksDBException e) {
            throw new LedgerException("read from " + cf + " failed: " + e.getMessage(), e);
        }
    }

    boolean readOnly() {
        return readOnly;
    }

    void write(WriteBatch batch) {
        checkOpen();
        if (readOnly) {
            throw new LedgerException("ledger at " + dir + " is open read-only; writes are refused");
        }
        try {
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new LedgerException("durable write failed: " + e.getMessage(), e);
        }
    }

    void put(WriteBatch batch, Columns cf, byte[] key, byte[] value) {
        try {
            batch.put(handles.get(cf), key, value);
        } catch (RocksDBException e) {
            throw new LedgerException("batch put failed: " + e.getMessage(), e);
        }
    }

    void delete(WriteBatch batch, Columns cf, byte[] key) {
        try {
            batch.delete(handles.get(cf), key);
        } catch (RocksDBException e) {
            throw new LedgerException("batch delete failed: " + e.getMessage(), e);
        }
    }

    void deleteAll(WriteBatch batch, Columns cf) {
        byte[] end = new byte[64];
        java.util.Arrays.fill(end, (byte) 0xff);
        try {
            batch.deleteRange(handles.get(cf), new byte[0], end);
        } catch (RocksDBException e) {
            throw new LedgerException("batch delete range failed: " + e.getMessage(), e);
        }
    }

    /**
     * A cursor over {@code cf} from {@code from} (inclusive) to {@code until} (exclusive, or null
     * for the end). The caller closes it.
     */
    Cursor cursor(Columns cf, byte[] from, byte[] until) {
        return cursor(cf, from, until, true);
    }

    /**
     * As {@link #cursor(Columns, byte[], byte[])}, for a scan of the whole log (start-up read
     * models, replay, audit): its blocks are read once and bypass the block cache, where they
     * would only evict the index, filter and hot blocks the node's point reads use.
     */
    Cursor scanCursor(Columns cf, byte[] from, byte[] until) {
        return cursor(cf, from, until, false);
    }

    private Cursor cursor(Columns cf, byte[] from, byte[] until, boolean fillCache) {
        checkOpen();
        ReadOptions ro = new ReadOptions().setFillCache(fillCache);
        Slice upper = null;
        if (until != null) {
            upper = new Slice(until);
            ro.setIterateUpperBound(upper);
        }
        RocksIterator it = db.newIterator(handles.get(cf), ro);
        it.seek(from);
        return new Cursor(it, ro, upper);
    }

    /**
     * RocksDB's memory, summed over the column families, in bytes: block cache (data, index and
     * filter blocks, shared), memtables, and table readers outside the cache.
     */
    Map<String, Long> memoryUsage() {
        checkOpen();
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try {
            out.put("block-cache-usage", db.getLongProperty("rocksdb.block-cache-usage"));
            out.put("block-cache-pinned-usage", db.getLongProperty("rocksdb.block-cache-pinned-usage"));
            long memtables = 0;
            long readers = 0;
            for (ColumnFamilyHandle h : handles.values()) {
                memtables += db.getLongProperty(h, "rocksdb.cur-size-all-mem-tables");
                readers += db.getLongProperty(h, "rocksdb.estimate-table-readers-mem");
            }
            out.put("cur-size-all-mem-tables", memtables);
            out.put("estimate-table-readers-mem", readers);
        } catch (RocksDBException e) {
            throw new LedgerException("reading RocksDB's memory properties failed: " + e.getMessage(), e);
        }
        return out;
    }

    boolean isClosed() {
        return closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new LedgerException("ledger at " + dir + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception ignored) {
                // closing native handles; nothing useful to do on failure
            }
        }
        owned.clear();
    }

    /** A forward cursor; closes its native iterator and options. */
    static final class Cursor implements AutoCloseable {
        private final RocksIterator it;
        private final ReadOptions ro;
        private final Slice upper;

        Cursor(RocksIterator it, ReadOptions ro, Slice upper) {
            this.it = it;
            this.ro = ro;
            this.upper = upper;
        }

        boolean valid() {
            return it.isValid();
        }

        byte[] key() {
            return it.key();
        }

        byte[] value() {
            return it.value();
        }

        void next() {
            it.next();
        }

        @Override
        public void close() {
            it.close();
            ro.close();
            if (upper != null) {
                upper.close();
            }
        }
    }
}
