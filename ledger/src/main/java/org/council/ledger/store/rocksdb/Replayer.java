package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.projection.MemoryProjectionState;
import org.council.ledger.projection.Projections;
import org.council.ledger.store.LedgerStore;
import org.rocksdb.WriteBatch;

/**
 * Rebuilds the projections from the log alone: every stored event in (author, seq) order, plus
 * the stored equivocation proofs. Events are read in chunks and decoded on all cores; they are
 * applied one by one in log order. Runs on the writer thread (as an exclusive task), so no
 * commit interleaves with it.
 */
final class Replayer {

    private static final int CHUNK = 4096;

    private Replayer() {
    }

    static MemoryProjectionState replay(RocksHandles db) {
        MemoryProjectionState state = new MemoryProjectionState();
        try (RocksHandles.Cursor c = db.scanCursor(Columns.EVENTS, new byte[0], null)) {
            List<byte[]> chunk = new ArrayList<>(CHUNK);
            for (; c.valid(); c.next()) {
                chunk.add(c.value());
                if (chunk.size() == CHUNK) {
                    apply(state, chunk);
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            apply(state, chunk);
        }
        try (RocksHandles.Cursor c = db.cursor(Columns.EQUIVOCATIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                Projections.markEquivocator(state, StoreKeys.authorOf(c.key()));
            }
        }
        return state;
    }

    private static void apply(MemoryProjectionState state, List<byte[]> envelopes) {
        List<SignedEvent> decoded = envelopes.parallelStream().map(EventCodec::decodeTrusted).toList();
        for (SignedEvent e : decoded) {
            Projections.evolve(state, e);
        }
    }

    static LedgerStore.ReplayReport rebuild(RocksHandles db, long eventCount) {
        long start = System.nanoTime();
        MemoryProjectionState state = replay(db);
        List<Map.Entry<byte[], byte[]>> entries = state.sortedEntries();
        try (WriteBatch batch = new WriteBatch()) {
            db.deleteAll(batch, Columns.PROJECTIONS);
            for (Map.Entry<byte[], byte[]> e : entries) {
                db.put(batch, Columns.PROJECTIONS, e.getKey(), e.getValue());
            }
            db.put(batch, Columns.META, StoreKeys.PROJECTION_VERSION, StoreKeys.longValue(Projections.VERSION));
            db.put(batch, Columns.META, StoreKeys.PROJECTION_APPLIED, StoreKeys.longValue(eventCount));
            db.write(batch);
        }
        return new LedgerStore.ReplayReport(eventCount, entries.size(), System.nanoTime() - start);
    }

    static boolean matchesStored(RocksHandles db) {
        Iterator<Map.Entry<byte[], byte[]>> expected = replay(db).sortedEntries().iterator();
        try (RocksHandles.Cursor c = db.cursor(Columns.PROJECTIONS, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                if (!expected.hasNext()) {
                    return false;
                }
                Map.Entry<byte[], byte[]> e = expected.next();
                if (!Arrays.equals(e.getKey(), c.key()) || !Arrays.equals(e.getValue(), c.value())) {
                    return false;
                }
            }
        }
        return !expected.hasNext();
    }
}
