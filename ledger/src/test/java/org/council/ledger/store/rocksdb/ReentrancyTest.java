package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls that would make the writer wait for itself fail fast; the writer's state is confined. */
class ReentrancyTest {

    @TempDir
    Path dir;

    private final StoreFixture fixture = new StoreFixture();

    @Test
    void rebuildingProjectionsFromACommitListenerFailsFast() throws Exception {
        try (RocksLedgerStore store = fixture.open(dir, NodeKeyPair.generate())) {
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            store.onCommitted(events -> {
                try {
                    store.rebuildProjections();
                    seen.complete(null);
                } catch (Throwable e) {
                    seen.complete(e);
                }
            });

            store.append(FeedBuilder.capabilities("m")).get(5, TimeUnit.SECONDS);

            assertThat(seen.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rebuildProjections()")
                    .hasMessageContaining("writer thread would deadlock");
            assertThat(store.rebuildProjections().events()).as("still fine off the writer thread").isEqualTo(1);
        }
    }

    @Test
    void waitingOnAnAppendFromACommitListenerFailsFast() throws Exception {
        try (RocksLedgerStore store = fixture.open(dir, NodeKeyPair.generate())) {
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            store.onCommitted(events -> {
                if (events.get(0).seq() == 1) {
                    try {
                        store.append(FeedBuilder.capabilities("again")).join();
                        seen.complete(null);
                    } catch (Throwable e) {
                        seen.complete(e);
                    }
                }
            });

            store.append(FeedBuilder.capabilities("m")).get(5, TimeUnit.SECONDS);

            assertThat(seen.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("waiting for a ledger future");
            assertThat(StoreFixture.awaitEvent(store, store.self(), 2)).isNotNull();
        }
    }

    @Test
    void theWritersCommitAssertsItRunsOnTheWriterThread() {
        try (RocksHandles db = new RocksHandles(dir, false)) {
            org.council.crypto.NodeId self = NodeKeyPair.generate().id();
            WriteLoop loop = new WriteLoop(db, self, new ConcurrentHashMap<>(), new AtomicLong(), 10,
                    body -> new CompletableFuture<>(), head -> { }, new FeedCap(Integer.MAX_VALUE, self,
                    new ConcurrentHashMap<>(), new FeedEviction(db, self, List.of())));

            assertThatThrownBy(() -> loop.commit(List.of()))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("not on the ledger writer thread");
        }
    }
}
