package org.council.ledger.store.rocksdb;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.testing.FeedBuilder;

/** Opens stores in a temp dir with a controllable clock. */
final class StoreFixture {

    final AtomicLong clock = new AtomicLong(FeedBuilder.T0 + 1_000_000);
    final LedgerConfig config = LedgerConfig.defaults().withClock(clock::get).withVerifierThreads(2);

    RocksLedgerStore open(Path dir, NodeKeyPair keys) {
        return RocksLedgerStore.open(dir, keys, config);
    }

    static List<IngestOutcome> ingest(RocksLedgerStore store, SignedEvent... events) {
        return store.ingest(java.util.Arrays.stream(events).map(SignedEvent::envelope).toList()).join();
    }

    /** Waits (bounded) for an event that the store appends asynchronously. */
    static SignedEvent awaitEvent(RocksLedgerStore store, org.council.crypto.NodeId author, long seq) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            var e = store.event(author, seq);
            if (e.isPresent()) {
                return e.get();
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("event " + author.shortHex() + "#" + seq + " did not appear");
    }

    static IngestOutcome ingestOne(RocksLedgerStore store, byte[] envelope) {
        return store.ingest(List.of(envelope)).join().get(0);
    }
}
