package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;

/**
 * A real RocksDB ledger for this node (H) in a temp dir, remote feeds with chosen timestamps, and
 * one clock shared by the store and the karma engine. Receipts are buffered and ingested in bulk.
 */
final class KarmaNet implements AutoCloseable {

    static final long NOW = FeedBuilder.T0 + Duration.ofDays(30).toMillis();
    static final long DAY = Duration.ofDays(1).toMillis();

    final AtomicLong clock = new AtomicLong(NOW);
    final NodeKeyPair selfKeys = NodeKeyPair.generate();
    final RocksLedgerStore store;
    private final List<byte[]> buffered = new ArrayList<>();

    KarmaNet(Path dir) {
        LedgerConfig config = LedgerConfig.defaults().withClock(clock::get).withVerifierThreads(2);
        store = RocksLedgerStore.open(dir, selfKeys, config);
    }

    NodeId self() {
        return selfKeys.id();
    }

    KarmaConfig config() {
        return KarmaConfig.defaults().withClock(clock::get);
    }

    KarmaEngine engine() {
        return KarmaEngine.start(store, config(), List.of());
    }

    /** A remote author whose events carry explicit timestamps. */
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

    /** {@code server} served {@code requester} (both remote), both halves signed; buffered. */
    void receipt(Feed server, Feed requester, double credits, long ageMs) {
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), milli(credits)), clock.get() - ageMs);
        buffered.add(proposal.envelope());
        buffered.add(requester.next(FeedBuilder.ack(proposal), clock.get()).envelope());
    }

    /** {@code server} served this node; its proposal is buffered, this node acknowledges in its own feed. */
    void servedSelf(Feed server, double credits, long ageMs) {
        SignedEvent proposal = server.next(FeedBuilder.proposal(self(), milli(credits)), clock.get() - ageMs);
        buffered.add(proposal.envelope());
        store.append(FeedBuilder.ack(proposal)).join();
    }

    /** A proposal nobody acknowledges (pending forever); buffered. */
    void unacknowledged(Feed server, NodeId requester, double credits) {
        buffered.add(server.next(FeedBuilder.proposal(requester, milli(credits)), clock.get()).envelope());
    }

    /** Buffers any event of a remote feed. */
    void add(SignedEvent event) {
        buffered.add(event.envelope());
    }

    /** Ingests everything buffered (all must be accepted) and waits until the engine has seen every event. */
    void flush(KarmaEngine... engines) {
        if (!buffered.isEmpty()) {
            List<IngestOutcome> outcomes = store.ingest(List.copyOf(buffered)).join();
            assertThat(outcomes).allMatch(IngestOutcome::accepted);
            buffered.clear();
        }
        for (KarmaEngine engine : engines) {
            awaitSeen(engine);
        }
    }

    /** The commit listener runs right after the ingest future completes: wait for it (bounded). */
    void awaitSeen(KarmaEngine engine) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.eventsSeen() < store.eventCount()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("engine saw " + engine.eventsSeen() + " of " + store.eventCount() + " events");
            }
            Thread.onSpinWait();
        }
    }

    static long milli(double credits) {
        return Math.round(credits * 1000);
    }

    @Override
    public void close() {
        store.close();
    }
}
