package org.council.ledger.projection;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Projection state in memory, for replays: a hash map while events are applied, sorted in
 * unsigned byte order (RocksDB's order) when read out. Not thread-safe.
 */
public final class MemoryProjectionState implements ProjectionState {

    private final HashMap<ByteKey, byte[]> entries = new HashMap<>();

    @Override
    public byte[] get(byte[] key) {
        return entries.get(new ByteKey(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        entries.put(new ByteKey(key), value);
    }

    @Override
    public void delete(byte[] key) {
        entries.remove(new ByteKey(key));
    }

    public int size() {
        return entries.size();
    }

    /** The entries sorted by key in unsigned byte order. */
    public List<Map.Entry<byte[], byte[]>> sortedEntries() {
        return entries.entrySet().stream()
                .map(e -> (Map.Entry<byte[], byte[]>) new AbstractMap.SimpleImmutableEntry<>(e.getKey().bytes(), e.getValue()))
                .sorted((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()))
                .toList();
    }
}
