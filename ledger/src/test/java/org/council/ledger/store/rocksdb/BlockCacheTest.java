package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block cache's use: a scan of the whole log (the start-up read models' pass) reads past it,
 * point reads fill it. A million-event node that scanned its log through the cache started with
 * the cache full of blocks it never read again.
 */
class BlockCacheTest {

    private static final int EVENTS = 3_000;

    @TempDir
    Path dir;

    private final StoreFixture fixture = new StoreFixture();

    @Test
    void aWholeLogScanLeavesTheCacheAsItWasWhilePointReadsFillIt() {
        NodeKeyPair keys = NodeKeyPair.generate();
        FeedBuilder author = FeedBuilder.random();
        for (int i = 0; i < EVENTS; i++) {
            author.next(FeedBuilder.capabilities("model-" + i));
        }
        try (RocksLedgerStore store = fixture.open(dir, keys)) {
            for (int from = 0; from < EVENTS; from += 500) {
                store.ingest(author.envelopes().subList(from, from + 500)).join();
            }
        }
        // reopened: the write-ahead log is recovered into table files, which reads go through
        try (RocksLedgerStore store = fixture.open(dir, keys)) {
            long before = store.memoryUsage().get("block-cache-usage");
            long scanned;
            try (Stream<SignedEvent> all = store.allEvents()) {
                scanned = all.count();
            }
            long afterScan = store.memoryUsage().get("block-cache-usage");
            for (long seq = 1; seq <= EVENTS; seq++) {
                assertThat(store.event(author.id(), seq)).isPresent();
            }
            long afterReads = store.memoryUsage().get("block-cache-usage");

            assertThat(scanned).isEqualTo(EVENTS);
            assertThat(afterScan - before).as("cache growth from the scan, bytes").isLessThan(64 * 1024);
            assertThat(afterReads - afterScan).as("cache growth from point reads of the same events, bytes")
                    .isGreaterThan(256 * 1024);
            assertThat(store.memoryUsage()).containsKeys("cur-size-all-mem-tables", "estimate-table-readers-mem");
        }
    }

    /** A reader who walks the whole log by point reads (audit, replication) cannot grow the cache past its size. */
    @Test
    void pointReadsOverALogLargerThanTheCacheStayWithinItsSize() {
        NodeKeyPair keys = NodeKeyPair.generate();
        FeedBuilder author = FeedBuilder.random();
        String padding = "m".repeat(60);
        int events = 0;
        try (RocksLedgerStore store = fixture.open(dir, keys)) {
            // ~300 bytes an event: enough events that the log outgrows the cache
            while ((long) events * 300 < RocksOptions.BLOCK_CACHE_BYTES * 3 / 2) {
                for (int i = 0; i < 1_000; i++) {
                    author.next(FeedBuilder.capabilities(padding + events++));
                }
                store.ingest(author.envelopes().subList(events - 1_000, events)).join();
            }
        }
        try (RocksLedgerStore store = fixture.open(dir, keys)) {
            long peak = 0;
            for (long seq = 1; seq <= events; seq++) {
                assertThat(store.event(author.id(), seq)).isPresent();
                if (seq % 1_000 == 0) {
                    peak = Math.max(peak, store.memoryUsage().get("block-cache-usage"));
                }
            }
            assertThat(peak).as("block cache use at its fullest").isGreaterThan(RocksOptions.BLOCK_CACHE_BYTES / 2)
                    .isLessThanOrEqualTo(RocksOptions.BLOCK_CACHE_BYTES);
        }
    }
}
