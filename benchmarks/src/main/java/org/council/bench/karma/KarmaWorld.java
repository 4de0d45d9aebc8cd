package org.council.bench.karma;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.reputation.KarmaConfig;
import org.council.ledger.reputation.KarmaEngine;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;

/**
 * One honest node H's real RocksDB ledger in a scratch directory, with remote feeds signed through
 * the real codec and one clock shared by the store and the karma engine. Events are built in time
 * order (the clock only moves forward); remote events are buffered and ingested in bulk, H's own
 * acknowledgements and ratings are appended to its own feed.
 */
final class KarmaWorld implements AutoCloseable {

    static final long DAY = Duration.ofDays(1).toMillis();
    /** "Now" of every scenario; the honest history is built before it. */
    static final long NOW = 1_760_000_000_000L + 60 * DAY;

    final AtomicLong clock = new AtomicLong(NOW);
    final NodeKeyPair selfKeys = NodeKeyPair.generate();
    final RocksLedgerStore store;
    private final List<byte[]> buffered = new ArrayList<>();

    KarmaWorld(Path dir) {
        store = RocksLedgerStore.open(dir, selfKeys, LedgerConfig.defaults().withClock(clock::get));
    }

    NodeId self() {
        return selfKeys.id();
    }

    /** A remote author. */
    static final class Feed {
        final NodeKeyPair keys = NodeKeyPair.generate();
        private SignedEvent last;

        NodeId id() {
            return keys.id();
        }

        SignedEvent next(EventBody body, long timestampMs) {
            last = EventCodec.sign(keys, last == null ? 1 : last.seq() + 1, last == null ? null : last.id(),
                    timestampMs, body);
            return last;
        }
    }

    static List<Feed> feeds(int n) {
        List<Feed> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Feed());
        }
        return out;
    }

    /** {@code server} served {@code requester} (both remote), now; both halves buffered. */
    void receipt(Feed server, Feed requester, double credits) {
        receiptAt(server, requester, credits, clock.get());
    }

    /** As {@link #receipt}, both halves signed with timestamp {@code tsMs} (colluders may backdate). */
    void receiptAt(Feed server, Feed requester, double credits, long tsMs) {
        SignedEvent proposal = server.next(proposal(requester.id(), credits), tsMs);
        buffered.add(proposal.envelope());
        buffered.add(requester.next(ack(proposal), tsMs).envelope());
    }

    /** {@code server} served H now: its proposal is ingested, H acknowledges in its own feed. */
    void servedSelf(Feed server, double credits) {
        SignedEvent proposal = server.next(proposal(self(), credits), clock.get());
        buffered.add(proposal.envelope());
        flush();
        store.append(ack(proposal)).join();
    }

    /** A proposal to H that H never acknowledges. */
    void unacknowledged(Feed server, double credits) {
        buffered.add(server.next(proposal(self(), credits), clock.get()).envelope());
    }

    /** H, as a council's asker, records the rating of one of its councils. */
    void rate(List<EventBody.RatedMember> rated) {
        store.append(new EventBody.Rating(JobId.random(), rated)).join();
    }

    /** Ingests everything buffered; every event must be accepted. */
    void flush() {
        if (!buffered.isEmpty()) {
            List<IngestOutcome> outcomes = store.ingest(List.copyOf(buffered)).join();
            if (!outcomes.stream().allMatch(IngestOutcome::accepted)) {
                throw new IllegalStateException("an event was refused: " + outcomes);
            }
            buffered.clear();
        }
    }

    /** The real engine with default settings, built by a scan of everything held (after a flush). */
    KarmaEngine engine() {
        flush();
        return KarmaEngine.start(store, KarmaConfig.defaults().withClock(clock::get), List.of());
    }

    private static EventBody.ServiceProposed proposal(NodeId requester, double credits) {
        JobId job = JobId.random();
        byte[] h = Sha256.hash(job.bytes());
        return new EventBody.ServiceProposed(job, requester, "llama3.1:8b", 8_000, 400, 300, 5, 1200, h,
                Sha256.hash(h), Math.round(credits * 1000), "answer");
    }

    private static EventBody.ServiceAcknowledged ack(SignedEvent proposal) {
        EventBody.ServiceProposed p = (EventBody.ServiceProposed) proposal.body();
        return new EventBody.ServiceAcknowledged(p.jobId(), proposal.author(), proposal.seq(), proposal.id());
    }

    @Override
    public void close() {
        store.close();
    }
}
