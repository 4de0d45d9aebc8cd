package org.council.ledger.store.rocksdb;

import org.council.ledger.projection.Projections;
import org.council.ledger.store.LedgerCorruptedException;
import org.council.ledger.store.LedgerException;

/**
 * The schema and projection versions in the {@code meta} column: written when a ledger is
 * created, checked on every open; an unknown schema is refused with a clear message.
 */
final class StoreSchema {

    /** The on-disk layout version this build writes and reads. */
    static final int VERSION = 1;
    private static final System.Logger LOG = System.getLogger(StoreSchema.class.getName());

    private StoreSchema() {
    }

    /** Checks the schema version; on a new, empty ledger (read-write only) writes it. */
    static void checkOrCreate(RocksHandles db) {
        byte[] version = db.get(Columns.META, StoreKeys.SCHEMA_VERSION);
        if (version == null) {
            try (RocksHandles.Cursor c = db.cursor(Columns.EVENTS, new byte[0], null)) {
                if (c.valid()) {
                    throw new LedgerCorruptedException("ledger at " + db.dir() + " holds events but no schema version");
                }
            }
            if (db.readOnly()) {
                return; // an empty ledger: nothing to read, nothing to refuse
            }
            try (org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch()) {
                db.put(b, Columns.META, StoreKeys.SCHEMA_VERSION, StoreKeys.longValue(VERSION));
                db.put(b, Columns.META, StoreKeys.PROJECTION_VERSION, StoreKeys.longValue(Projections.VERSION));
                db.write(b);
            }
            return;
        }
        long v = StoreKeys.decodeLong(version);
        if (v != VERSION) {
            throw new LedgerException("ledger at " + db.dir() + " has schema version " + v
                    + " but this build of Council reads version " + VERSION
                    + (v > VERSION ? "; it was written by a newer Council" : "") + ". Refusing to open it.");
        }
    }

    /** True (and logged) when the stored projections do not reflect every stored event. */
    static boolean projectionsOutOfDate(RocksHandles db, long eventCount) {
        byte[] version = db.get(Columns.META, StoreKeys.PROJECTION_VERSION);
        byte[] applied = db.get(Columns.META, StoreKeys.PROJECTION_APPLIED);
        long appliedCount = applied == null ? 0 : StoreKeys.decodeLong(applied);
        boolean stale = version == null || StoreKeys.decodeLong(version) != Projections.VERSION
                || appliedCount != eventCount;
        if (stale) {
            LOG.log(System.Logger.Level.INFO, "projections are out of date (checkpoint " + appliedCount + " of "
                    + eventCount + " events)" + (db.readOnly() ? "; open read-write to rebuild them"
                    : "; rebuilding them from the log"));
        }
        return stale;
    }
}
