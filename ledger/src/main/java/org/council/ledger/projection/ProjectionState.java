package org.council.ledger.projection;

/**
 * The key-value state projections read and write. Implementations: the store's per-batch
 * overlay over RocksDB (live) and an in-memory sorted map (replay). Not thread-safe: a state is
 * used by one thread at a time.
 */
public interface ProjectionState {

    /** The value under {@code key}, or null. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void delete(byte[] key);
}
