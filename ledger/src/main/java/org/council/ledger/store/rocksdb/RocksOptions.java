package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

/** The RocksDB options of a ledger's column families, and the memory bounds they set. */
final class RocksOptions {

    private RocksOptions() {
    }

    /**
     * The block cache shared by every column family, in MB ({@code -Dcouncil.ledger.blockCacheMb}).
     * Index and filter blocks are charged to it too, so it bounds RocksDB's read-side memory
     * (memtables aside). 16 MB holds the index and filter blocks of a million-event ledger (~4 MB,
     * pinned) and the small column families' hot blocks; audit reads and replication read feeds
     * at random positions across the whole log, which no cache of a node's size would hold, so the
     * OS page cache serves them. At 64 MB a node serving audit reads and a replicating peer filled
     * it and was 334 MB resident after a minute; see docs/design.md, "Memory and start-up".
     */
    static final long BLOCK_CACHE_BYTES = Long.getLong("council.ledger.blockCacheMb", 16) << 20;

    /** The column families and their options; every native object made here goes to {@code owner}. */
    static List<ColumnFamilyDescriptor> descriptors(Consumer<AutoCloseable> owner) {
        // Bloom filters: most point reads on the hot paths are misses (is this id known? is
        // there a pending half for this receipt?), which the filter answers without I/O.
        LRUCache cache = own(owner, new LRUCache(BLOCK_CACHE_BYTES));
        BloomFilter bloom = own(owner, new BloomFilter(10, false));
        ColumnFamilyOptions cfOptions = own(owner, new ColumnFamilyOptions()
                // signed events are mostly keys, hashes and signatures: compression costs CPU and saves little
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setFilterPolicy(bloom)
                        .setCacheIndexAndFilterBlocks(true)
                        .setPinL0FilterAndIndexBlocksInCache(true)));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Columns c : Columns.ALL) {
            descriptors.add(new ColumnFamilyDescriptor(c.nameBytes(), cfOptions));
        }
        return descriptors;
    }

    private static <T extends AutoCloseable> T own(Consumer<AutoCloseable> owner, T resource) {
        owner.accept(resource);
        return resource;
    }
}
