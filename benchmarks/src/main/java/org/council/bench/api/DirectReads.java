package org.council.bench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;

/**
 * The reference for {@code api.audit_read}: the same read mix run straight against the
 * {@link LedgerStore} from the same number of threads, no HTTP and no JSON, reading events as the
 * store gives them to any reader: decoded, with their ids ({@code feed}, {@code event}).
 *
 * <p>The audit API no longer reads that way: it renders pages from raw envelopes
 * ({@code feedEnvelopes}, {@code envelope}) and hashes one envelope a page. A reference making
 * those calls instead ran at 40.3k reads/s in one run on the shared 2 cores, where this one gave
 * 16.8k-17.7k in the runs just before (ratio 0.235 against 0.53-0.56), so this reference counts
 * decoding the API does not do. It is kept as it is, since the target ratio was set against it.
 */
final class DirectReads {

    /** Reads done, the seconds they took, and a checksum that keeps the JIT from skipping them. */
    record Result(long reads, double seconds, long checksum) {
        static final Result NONE = new Result(0, 0, 0);

        double rate() {
            return reads / seconds;
        }

        Result plus(Result o) {
            return new Result(reads + o.reads, seconds + o.seconds, checksum + o.checksum);
        }
    }

    private DirectReads() {
    }

    /** Runs the mix from {@code threads} threads for {@code seconds}, each thread drawing from its own seed. */
    static Result run(LedgerStore store, ReadPlan plan, int threads, double seconds, long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            long t0 = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed * 1_000 + t);
                futures.add(pool.submit(() -> {
                    long reads = 0;
                    long sum = 0;
                    while (!stop.get()) {
                        sum += read(store, plan.next(random));
                        reads++;
                    }
                    return new long[] {reads, sum};
                }));
            }
            Thread.sleep((long) (seconds * 1_000));
            stop.set(true);
            long reads = 0;
            long sum = 0;
            for (Future<long[]> f : futures) {
                long[] r = f.get();
                reads += r[0];
                sum += r[1];
            }
            return new Result(reads, (System.nanoTime() - t0) / 1e9, sum);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The decoding store reads for {@code read}; a number derived from the answer. */
    private static long read(LedgerStore store, ReadPlan.Read read) {
        if (read instanceof ReadPlan.FeedPage p) {
            if (store.head(p.author()).isEmpty()) {
                throw new IllegalStateException("no feed " + p.author());
            }
            try (Stream<SignedEvent> feed = store.feed(p.author(), p.from(), ReadPlan.PAGE)) {
                return feed.mapToLong(SignedEvent::seq).sum();
            }
        } else if (read instanceof ReadPlan.EventById e) {
            return store.event(e.id()).orElseThrow().seq();
        } else if (read instanceof ReadPlan.AccountOf a) {
            return store.account(a.id()).balanceMilli() + (store.isEquivocator(a.id()) ? 1 : 0);
        }
        return store.heads().size();
    }
}
