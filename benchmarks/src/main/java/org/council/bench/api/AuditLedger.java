package org.council.bench.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.council.bench.BenchReporter;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.projection.Projections;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;

/**
 * A RocksDB ledger holding at least a given number of events of a {@link NetworkHistory}, built
 * through the store's real ingest path (signature checks, validation, group commit, projections).
 * Building a million events takes minutes, so a finished ledger is kept under a cache directory,
 * keyed by the history, schema and projection versions and the size; a later run reuses it.
 */
public final class AuditLedger {

    /** Where the ledger lives and how it was obtained ({@code built}, {@code cached}). */
    public record Obtained(Path dir, String source, double buildSeconds) {
    }

    private static final String COMPLETE = "complete";
    private static final int JOBS_PER_ROUND = 256;
    private static final int PIPELINE = 3;

    private AuditLedger() {
    }

    /**
     * The ledger for {@code events} events by {@code authors} authors: from {@code cacheRoot} when
     * a complete one is there, else built there (or in {@code scratch} when {@code cacheRoot} is null).
     */
    public static Obtained obtain(BenchReporter reporter, Path cacheRoot, Path scratch, int events, int authors)
            throws Exception {
        if (cacheRoot == null) {
            return new Obtained(scratch, "built", build(reporter, scratch, events, authors));
        }
        String key = String.format("audit-h%d-s%d-p%d-%dev-%da", NetworkHistory.VERSION,
                RocksLedgerStore.SCHEMA_VERSION, Projections.VERSION, events, authors);
        Path dir = cacheRoot.resolve(key);
        if (Files.exists(dir.resolve(COMPLETE))) {
            reporter.progress("reusing the cached ledger %s (delete it to rebuild)", dir);
            return new Obtained(dir.resolve("db"), "cached", 0);
        }
        deleteTree(dir); // an interrupted build
        Files.createDirectories(dir);
        double seconds = build(reporter, dir.resolve("db"), events, authors);
        Files.writeString(dir.resolve(COMPLETE), "events=" + events + "\nauthors=" + authors
                + "\nbuild_seconds=" + seconds + "\n");
        reporter.progress("cached the ledger at %s for later runs", dir);
        return new Obtained(dir.resolve("db"), "built", seconds);
    }

    private static double build(BenchReporter reporter, Path db, int events, int authors) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService signers = Executors.newFixedThreadPool(cores);
        long t0 = System.nanoTime();
        try (RocksLedgerStore store = RocksLedgerStore.open(db, NodeKeyPair.generate(), LedgerConfig.defaults())) {
            NetworkHistory history = new NetworkHistory(authors, JOBS_PER_ROUND, signers);
            reporter.progress("building a ledger of %,d events by %d authors (sign, then ingest with group "
                    + "commit; takes a few minutes, cached afterwards)...", events, authors);
            Deque<CompletableFuture<List<IngestOutcome>>> pending = new ArrayDeque<>();
            long submitted = 0;
            long accepted = 0;
            long nextReport = 100_000;
            while (submitted < events) {
                List<byte[]> round = history.nextRound();
                pending.add(store.ingest(round));
                submitted += round.size();
                if (pending.size() >= PIPELINE) {
                    accepted += accepted(pending.removeFirst().join());
                }
                if (submitted >= nextReport) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    reporter.progress("  %,d events signed, %,d stored (%.0f events/s, %.0f s)", submitted,
                            accepted, accepted / s, s);
                    nextReport += 100_000;
                }
            }
            while (!pending.isEmpty()) {
                accepted += accepted(pending.removeFirst().join());
            }
            if (accepted != submitted) {
                throw new IllegalStateException("only " + accepted + " of " + submitted + " events were accepted");
            }
        } finally {
            signers.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        reporter.progress("built the ledger in %.0f s", seconds);
        return seconds;
    }

    private static long accepted(List<IngestOutcome> outcomes) {
        long n = 0;
        for (IngestOutcome o : outcomes) {
            if (!o.accepted()) {
                throw new IllegalStateException("the generated history was refused: " + o);
            }
            n++;
        }
        return n;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
