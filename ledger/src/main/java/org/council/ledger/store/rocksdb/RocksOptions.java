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
     * (memtables aside). 16 MB holds the index and filter blocks of a million-event ledger (7.8 MB,
     * kept by {@link #INDEX_AND_FILTER_SHARE}) and the small column families' hot blocks; audit
     * reads and replication read feeds at random positions across the whole log, which no cache of
     * a node's size would hold, so the OS page cache serves them. At 64 MB a node serving audit
     * reads and a replicating peer filled it and was 334 MB resident after a minute; see
     * docs/design.md, "Memory and start-up".
     */
    static final long BLOCK_CACHE_BYTES = Long.getLong("council.ledger.blockCacheMb", 16) << 20;

    /**
     * The share of the block cache that index and filter blocks keep before data blocks: inserted
     * with high priority, they leave only once that share is full. Only level 0's were pinned;
     * the data blocks of random feed reads evicted the rest, and a seek read its table file's
     * index (up to a MB) from the OS again: 13% of the audit server's CPU went to copying index
     * blocks out of the page cache (perf, 1M events, 16 MB cache). A million events have 7.8 MB
     * of index and filter blocks.
     */
    static final double INDEX_AND_FILTER_SHARE = 0.6;

    /**
     * The cache's shards: each at least 16 MB. RocksDB's default (shards of 512 KB at 16 MB) cannot
     * keep a block larger than a shard, and a large table file's index block is; the cache's
     * lock is per shard, and a node's few reading threads take it briefly.
     */
    static final int SHARD_BITS = Math.min(6, Math.max(0, 63 - Long.numberOfLeadingZeros(BLOCK_CACHE_BYTES >> 24)));

    /**
     * Column families whose hot point reads mostly miss: every ingested event's id is looked up
     * before it is verified (new events are not there), projection state is probed for receipt
     * halves and equivocators. The table files' bloom filters answer such misses, but the memtable
     * was searched in full, a skip-list descent over up to a memtable of keys: 5% of the verifier
     * threads' CPU in a 100k-event pull. A memtable bloom filter answers most misses first.
     */
    private static final java.util.Set<Columns> POINT_MISSES =
            java.util.EnumSet.of(Columns.EVENT_IDS, Columns.PROJECTIONS, Columns.EQUIVOCATIONS);

    /**
     * The memtable bloom filter's size as a share of the write buffer (64 MB): 640 KB per memtable
     * of those column families, about 8 bits a key when a memtable of 40-byte keys is full.
     */
    static final double MEMTABLE_BLOOM_RATIO = 0.01;

    /** The column families and their options; every native object made here goes to {@code owner}. */
    static List<ColumnFamilyDescriptor> descriptors(Consumer<AutoCloseable> owner) {
        // Bloom filters: most point reads on the hot paths are misses (is this id known? is
        // there a pending half for this receipt?), which the filter answers without I/O.
        LRUCache cache = own(owner, new LRUCache(BLOCK_CACHE_BYTES, SHARD_BITS, false, INDEX_AND_FILTER_SHARE));
        BloomFilter bloom = own(owner, new BloomFilter(10, false));
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(bloom)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        // signed events are mostly keys, hashes and signatures: compression costs CPU and saves little
        ColumnFamilyOptions cfOptions = own(owner, new ColumnFamilyOptions()
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(table));
        ColumnFamilyOptions pointMisses = own(owner, new ColumnFamilyOptions()
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(table)
                .setMemtableWholeKeyFiltering(true)
                .setMemtablePrefixBloomSizeRatio(MEMTABLE_BLOOM_RATIO));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Columns c : Columns.ALL) {
            descriptors.add(new ColumnFamilyDescriptor(c.nameBytes(), POINT_MISSES.contains(c) ? pointMisses : cfOptions));
        }
        return descriptors;
    }

    private static <T extends AutoCloseable> T own(Consumer<AutoCloseable> owner, T resource) {
        owner.accept(resource);
        return resource;
    }
}
