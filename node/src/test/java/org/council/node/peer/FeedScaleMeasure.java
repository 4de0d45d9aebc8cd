package org.council.node.peer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.FeedHead;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (it asserts nothing and runs only with {@code -Dcouncil.measure=true
 * -Dtest=FeedScaleMeasure}): what 100,000 single-event feeds cost a node: heap for their heads,
 * disk, start-up (with its tail checks), the clocks it sends at every handshake, and the heap a
 * receiver holds for those clocks. Figures go to docs/threat-model.md.
 */
@EnabledIfSystemProperty(named = "council.measure", matches = "true")
class FeedScaleMeasure {

    private static final int FEEDS = Integer.getInteger("council.measure.feeds", 100_000);

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        LedgerConfig config = LedgerConfig.defaults().withMaxFeeds(FEEDS + 10);
        NodeKeyPair self = NodeKeyPair.generate();
        List<List<byte[]>> batches = new ArrayList<>();
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < FEEDS; i++) {
            batch.add(FeedBuilder.random().next(FeedBuilder.capabilities("m")).envelope());
            if (batch.size() == 1_000) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        long heapEmpty;
        long heapFull;
        long ingestNanos;
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, config)) {
            heapEmpty = heap();
            long t0 = System.nanoTime();
            for (List<byte[]> b : batches) {
                store.ingest(b).join();
            }
            ingestNanos = System.nanoTime() - t0;
            batches.clear();
            heapFull = heap();
            report("feeds", store.heads().size());
            long clocksBytes = 0;
            List<FeedHead> heads = store.heads();
            for (int from = 0; from < heads.size(); from += 8_192) {
                List<WireMessage.FeedClock> part = heads.subList(from, Math.min(heads.size(), from + 8_192)).stream()
                        .map(h -> new WireMessage.FeedClock(h.author(), h.seq())).toList();
                clocksBytes += FrameCodec.encode(new WireMessage.Clocks(part, false)).length();
            }
            report("clocks_bytes_per_handshake", clocksBytes);
            long before = heap();
            Map<NodeId, Long> peerHas = new HashMap<>();
            heads.forEach(h -> peerHas.put(NodeId.of(h.author().bytes()), h.seq())); // fresh ids, as decoded from the wire
            report("receiver_clocks_heap_bytes", heap() - before);
            report("peer_has_entries", peerHas.size());
        }
        report("ingest_ms", ingestNanos / 1_000_000);
        report("heads_heap_bytes", heapFull - heapEmpty);
        report("disk_bytes", size(dir));
        long t1 = System.nanoTime();
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, config)) {
            report("startup_ms", (System.nanoTime() - t1) / 1_000_000);
            report("heap_after_reopen_bytes", heap());
        }
    }

    private static void report(String what, long value) {
        System.out.println("MEASURE " + what + " " + value);
    }

    private static long heap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long size(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
