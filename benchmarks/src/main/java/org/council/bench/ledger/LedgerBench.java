package org.council.bench.ledger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureDomain;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;

/**
 * {@code ledger.append}, {@code ledger.ingest} and {@code ledger.replay}, each beside the raw
 * rate it is bounded by, measured in the same run on the same machine: Ed25519 signs, Ed25519
 * verifies, and reading and decoding the same log without projections ({@link RawReplay}).
 */
public final class LedgerBench implements BenchSuite {

    private static final int APPEND_EVENTS = Integer.getInteger("bench.ledger.append", 60_000);
    private static final int INGEST_EVENTS = Integer.getInteger("bench.ledger.ingest", 100_000);
    private static final int AUTHORS = 10;
    private static final int BATCH = 512;

    @Override
    public String name() {
        return "ledger";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        TempDirs.withTempDir("council-bench-ledger", root -> runIn(root, reporter));
    }

    private void runIn(Path root, BenchReporter reporter) throws Exception {
        LedgerConfig config = LedgerConfig.defaults();
        int cores = Runtime.getRuntime().availableProcessors();

        reporter.progress("raw Ed25519 sign rate (1 thread)...");
        double signRate = RawCrypto.signRate(2.0);
        reporter.progress("appending %d own events (durable, group-committed)...", APPEND_EVENTS);
        double appendRate = appendRate(root.resolve("append"), config);
        reporter.result("ledger.append", appendRate, "events/s", signRate,
                Map.of("events", APPEND_EVENTS, "limit_is", "raw BouncyCastle Ed25519 signs/s, 1 thread",
                        "synced", config.syncWrites()));

        reporter.progress("generating %d signed events from %d authors with receipts...", INGEST_EVENTS, AUTHORS);
        List<List<SignedEvent>> feeds = EventFactory.receiptFeeds(AUTHORS, INGEST_EVENTS);
        List<SignedEvent> all = feeds.stream().flatMap(List::stream).toList();
        reporter.progress("raw Ed25519 verify rate (%d threads)...", cores);
        double verifyRate = RawCrypto.verifyRate(all, cores, 3);
        reporter.progress("ingesting %d events (verify + persist)...", all.size());
        Path ingestDir = root.resolve("ingest");
        double ingestRate = ingestRate(ingestDir, config, feeds);
        reporter.result("ledger.ingest", ingestRate, "events/s", verifyRate,
                Map.of("events", all.size(), "threads", cores,
                        "limit_is", "raw BouncyCastle Ed25519 verifies/s on " + cores + " threads"));

        reporter.progress("replaying the log into every projection, beside a raw read-and-decode pass...");
        double[] replay = replayRates(ingestDir, config, all.size());
        Map<String, Object> replayExtra = new LinkedHashMap<>(); // a fixed field order, run to run
        replayExtra.put("events", all.size());
        replayExtra.put("limit_is", "raw pass in the same run over the same store: every envelope read feed by "
                + "feed (LedgerStore.feedEnvelopes, " + RawReplay.CHUNK + " at a time) and decoded with "
                + "EventCodec.decodeTrusted on all cores, no projections");
        reporter.result("ledger.replay", replay[0], "events/s", replay[1], replayExtra);
    }

    private static double appendRate(Path dir, LedgerConfig config) throws Exception {
        NodeKeyPair self = NodeKeyPair.generate();
        List<NodeKeyPair> peers = Stream.generate(NodeKeyPair::generate).limit(AUTHORS).toList();
        try (LedgerStore store = RocksLedgerStore.open(dir, self, config)) {
            runAppends(store, peers, 5_000); // warm-up
            long t0 = System.nanoTime();
            runAppends(store, peers, APPEND_EVENTS);
            return APPEND_EVENTS / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void runAppends(LedgerStore store, List<NodeKeyPair> peers, int n) throws Exception {
        Semaphore inFlight = new Semaphore(16_384);
        List<CompletableFuture<SignedEvent>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            CompletableFuture<SignedEvent> f = store.append(EventFactory.body(i, peers));
            f.whenComplete((e, err) -> inFlight.release());
            futures.add(f);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    private static double ingestRate(Path dir, LedgerConfig config, List<List<SignedEvent>> feeds) {
        List<List<byte[]>> batches = new ArrayList<>();
        int longest = feeds.stream().mapToInt(List::size).max().orElse(0);
        for (int from = 0; from < longest; from += BATCH) {
            for (List<SignedEvent> feed : feeds) {
                if (from < feed.size()) {
                    batches.add(feed.subList(from, Math.min(feed.size(), from + BATCH)).stream()
                            .map(SignedEvent::envelopeUnsafe).toList());
                }
            }
        }
        try (LedgerStore store = RocksLedgerStore.open(dir, NodeKeyPair.generate(), config)) {
            long t0 = System.nanoTime();
            List<CompletableFuture<List<IngestOutcome>>> pending = new ArrayList<>();
            long accepted = 0;
            int n = 0;
            for (List<byte[]> batch : batches) {
                pending.add(store.ingest(batch));
                n += batch.size();
                if (pending.size() >= 16) {
                    accepted += count(pending.remove(0).join());
                }
            }
            for (CompletableFuture<List<IngestOutcome>> p : pending) {
                accepted += count(p.join());
            }
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            if (accepted != n) {
                throw new IllegalStateException("only " + accepted + " of " + n + " events were accepted");
            }
            return rate;
        }
    }

    private static long count(List<IngestOutcome> outcomes) {
        return outcomes.stream().filter(IngestOutcome::accepted).count();
    }

    /**
     * The median replay rate and the median raw read-and-decode rate ({@link RawReplay}) of the
     * same store, measured in alternation so that both see the same machine.
     */
    private static double[] replayRates(Path dir, LedgerConfig config, long events) {
        try (LedgerStore store = RocksLedgerStore.open(dir, NodeKeyPair.generate(), config)) {
            store.rebuildProjections(); // warm-up
            RawReplay.run(store);
            List<Double> replay = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RawReplay.Pass pass = RawReplay.run(store);
                if (pass.events() != events) {
                    throw new IllegalStateException("the raw pass read " + pass.events() + " of " + events + " events");
                }
                raw.add(pass.rate());
                LedgerStore.ReplayReport r = store.rebuildProjections();
                replay.add(r.events() / (r.nanos() / 1e9));
            }
            return new double[] {median(replay), median(raw)};
        }
    }

    private static double median(List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(sorted.size() / 2);
    }

    static final SignatureDomain DOMAIN = SignatureDomain.LEDGER_EVENT;
}
