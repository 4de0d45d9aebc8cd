package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.council.crypto.NodeId;
import org.council.ledger.store.IngestOutcome;

/**
 * The first stage of an ingest: envelopes are prechecked (decoded, signatures verified) in chunks
 * on the verifier threads, then handed to the {@link WriteLoop} in the order callers submitted
 * them, whatever order their verification finishes in, so that a feed split across calls arrives
 * in seq order.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread.
 */
final class IngestPipeline {

    private static final int VERIFY_CHUNK = 128;

    private final Prechecker prechecker;
    private final WriteLoop writer;
    private final ExecutorService verifiers;
    private final Object ingestOrder = new Object();
    private CompletableFuture<Void> lastIngestQueued = CompletableFuture.completedFuture(null); // guarded by ingestOrder

    IngestPipeline(Prechecker prechecker, WriteLoop writer, int verifierThreads) {
        this.prechecker = prechecker;
        this.writer = writer;
        AtomicInteger n = new AtomicInteger();
        this.verifiers = Executors.newFixedThreadPool(verifierThreads, r -> {
            Thread t = new Thread(r, "ledger-verifier-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Prechecks {@code envelopes} and queues them for the writer; {@code result} completes there. */
    void submit(NodeId expectedAuthor, List<byte[]> envelopes, CompletableFuture<List<IngestOutcome>> result) {
        List<CompletableFuture<List<Prechecker.Checked>>> chunks = new ArrayList<>();
        for (int from = 0; from < envelopes.size(); from += VERIFY_CHUNK) {
            List<byte[]> chunk = envelopes.subList(from, Math.min(envelopes.size(), from + VERIFY_CHUNK));
            chunks.add(CompletableFuture.supplyAsync(() -> {
                List<Prechecker.Checked> out = new ArrayList<>(chunk.size());
                for (byte[] envelope : chunk) {
                    out.add(prechecker.check(envelope, expectedAuthor));
                }
                return out;
            }, verifiers));
        }
        CompletableFuture<List<Prechecker.Checked>> checked = CompletableFuture
                .allOf(chunks.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    List<Prechecker.Checked> all = new ArrayList<>(envelopes.size());
                    chunks.forEach(c -> all.addAll(c.join()));
                    return all;
                });
        synchronized (ingestOrder) {
            lastIngestQueued = lastIngestQueued.handle((v, e) -> null)
                    .thenCombine(checked.handle((list, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        }
                        return list;
                    }), (v, list) -> {
                        if (list != null) {
                            writer.submit(new WriteLoop.Ingest(list, result));
                        }
                        return null;
                    });
        }
    }

    /** Waits until every submitted ingest reached the writer's queue (or failed). */
    void awaitQueued() {
        synchronized (ingestOrder) {
            lastIngestQueued.handle((v, e) -> null).join();
        }
    }

    void shutdown() {
        verifiers.shutdownNow();
    }
}
