package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole-log scan decodes a chunk ahead of its consumer on another thread: it must still hand
 * over every event once, in (author, seq) order, across chunk boundaries, and stop cleanly when
 * its consumer stops early.
 */
class WholeLogScanTest {

    @TempDir
    Path dir;

    private final StoreFixture fixture = new StoreFixture();

    @Test
    void everyEventComesOnceInAuthorThenSeqOrderAcrossChunks() {
        List<FeedBuilder> authors = List.of(FeedBuilder.random(), FeedBuilder.random(), FeedBuilder.random(),
                FeedBuilder.random());
        // a chunk is 1,024 events or 2 MB: feeds end inside and across chunks, and one feed's
        // ~9 KB events end chunks by their bytes
        int[] lengths = {1_500, 1, 1_100, 600};
        try (RocksLedgerStore store = fixture.open(dir, NodeKeyPair.generate())) {
            List<SignedEvent> expected = new ArrayList<>();
            for (int a = 0; a < authors.size(); a++) {
                FeedBuilder author = authors.get(a);
                for (int i = 0; i < lengths[a]; i++) {
                    expected.add(author.next(a == 3 ? large(i) : FeedBuilder.capabilities("model-" + i)));
                }
                List<byte[]> envelopes = author.envelopes();
                for (int from = 0; from < envelopes.size(); from += 100) {
                    store.ingest(envelopes.subList(from, Math.min(envelopes.size(), from + 100))).join();
                }
            }
            assertThat(expected.get(expected.size() - 1).envelope().length).isGreaterThan(8_000);
            expected.sort(Comparator.comparing((SignedEvent e) -> e.author()).thenComparingLong(SignedEvent::seq));

            List<EventId> scanned;
            try (Stream<SignedEvent> all = store.allEvents()) {
                scanned = all.map(SignedEvent::id).toList();
            }
            assertThat(scanned).containsExactlyElementsOf(expected.stream().map(SignedEvent::id).toList());

            try (Stream<SignedEvent> all = store.allEvents()) {
                assertThat(all.limit(1_030).count()).isEqualTo(1_030);
            }
            // the store is still usable after a scan that stopped with a chunk in flight
            assertThat(store.event(expected.get(0).id())).isPresent();
        }
    }

    private static EventBody.CapabilitiesAnnounced large(int i) {
        List<EventBody.ModelOffer> models = new ArrayList<>();
        for (int m = 0; m < 40; m++) {
            models.add(new EventBody.ModelOffer(("model-" + i + "-" + m + "-").repeat(20).substring(0, 200), 1, "Q4", 1));
        }
        return new EventBody.CapabilitiesAnnounced(models, "gpu", 1, "127.0.0.1:7000");
    }
}
