package org.council.bench.ledger;

import java.util.List;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.FeedHead;
import org.council.ledger.store.LedgerStore;

/**
 * The reference for {@code ledger.replay}: the cost floor of reading and decoding the log, with no
 * projections. Reads every stored envelope of the same store, feed by feed in (author, seq) order
 * as replay does, through {@link LedgerStore#feedEnvelopes} (the public read that returns the
 * stored bytes undecoded; the column layout underneath is the store's own business), and decodes
 * each envelope and its payload with {@link EventCodec#decodeTrusted}, in chunks on all cores as
 * replay decodes them. What replay adds on top is applying each event to the projections and
 * writing the result.
 */
final class RawReplay {

    /** Events per read and per parallel decode, as replay reads them. */
    static final int CHUNK = 4096;

    /** Events read and decoded, the nanoseconds it took, and a checksum that keeps the JIT honest. */
    record Pass(long events, long nanos, long checksum) {
        double rate() {
            return events / (nanos / 1e9);
        }
    }

    private RawReplay() {
    }

    static Pass run(LedgerStore store) {
        long t0 = System.nanoTime();
        long events = 0;
        long checksum = 0;
        for (FeedHead head : store.heads()) {
            for (long from = 1; from <= head.seq(); from += CHUNK) {
                List<byte[]> chunk = store.feedEnvelopes(head.author(), from, CHUNK, Integer.MAX_VALUE);
                checksum += chunk.parallelStream().map(EventCodec::decodeTrusted).mapToLong(e -> e.seq()).sum();
                events += chunk.size();
            }
        }
        return new Pass(events, System.nanoTime() - t0, checksum);
    }
}
