package org.council.node.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory forgets a feed the store evicts at its feed cap: it would otherwise grow with every stranger. */
class CapabilityDirectoryEvictionTest {

    @TempDir
    Path dir;

    @Test
    void anEvictedFeedsAnnouncementIsForgotten() throws InterruptedException {
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, NodeKeyPair.generate(),
                LedgerConfig.defaults().withMaxFeeds(1))) {
            CapabilityDirectory caps = new CapabilityDirectory(store);
            FeedBuilder first = FeedBuilder.random();
            FeedBuilder second = FeedBuilder.random();
            store.ingest(List.of(first.next(FeedBuilder.capabilities("a")).envelope())).join();
            awaitPresent(caps, first);
            assertThat(store.ingest(List.of(second.next(FeedBuilder.capabilities("b")).envelope())).join().get(0)
                    .accepted()).isTrue();
            awaitPresent(caps, second);
            assertThat(store.head(first.id())).isEmpty();
            assertThat(caps.of(first.id())).as("the evicted feed's announcement").isNull();
        }
    }

    private static void awaitPresent(CapabilityDirectory caps, FeedBuilder f) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L; // commit listeners run after the ingest completes
        while (caps.of(f.id()) == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(caps.of(f.id())).isNotNull();
    }
}
