package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.Rejection;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The own feed recovered from peers: a store with the node's key but an old or empty data dir takes
 * its own history back and signs nothing until it holds what a peer claimed; own timestamps stay
 * within what peers accept.
 */
class OwnFeedRecoveryTest {

    @TempDir
    Path real;
    @TempDir
    Path restored;
    private final StoreFixture fixture = new StoreFixture();
    private final NodeKeyPair keys = NodeKeyPair.generate();

    private List<SignedEvent> history(int n) {
        List<SignedEvent> events = new ArrayList<>();
        try (RocksLedgerStore original = fixture.open(real, keys)) {
            for (int i = 0; i < n; i++) {
                events.add(original.append(FeedBuilder.capabilities("m" + i)).join());
            }
        }
        return events;
    }

    @Test
    void appendsWaitUntilTheOwnFeedIsRecoveredThenContinueAtTheRealHead() throws Exception {
        List<SignedEvent> history = history(5);
        try (RocksLedgerStore store = fixture.open(restored, keys)) {
            store.ownFeedSeenAt(5); // a peer's clocks: it holds our feed up to seq 5
            CompletableFuture<SignedEvent> waiting = store.append(FeedBuilder.capabilities("new"));
            assertThat(StoreFixture.ingest(store, history.subList(0, 4).toArray(SignedEvent[]::new)))
                    .allMatch(IngestOutcome::accepted);
            assertThat(waiting).isNotDone(); // still behind: nothing signed
            assertThat(StoreFixture.ingest(store, history.get(4))).allMatch(IngestOutcome::accepted);

            SignedEvent next = waiting.get(30, TimeUnit.SECONDS);
            assertThat(next.seq()).isEqualTo(6);
            assertThat(next.prev()).isEqualTo(history.get(4).id());
            assertThat(store.equivocations()).isEmpty();
            assertThat(store.isEquivocator(keys.id())).isFalse();
        }
    }

    @Test
    void anOwnEventThatConflictsWithTheLocalFeedIsRefusedWithoutAProofAgainstItself() {
        List<SignedEvent> history = history(2);
        try (RocksLedgerStore store = fixture.open(restored, keys)) {
            store.append(FeedBuilder.capabilities("local")).join(); // this copy signed its own seq 1
            IngestOutcome o = StoreFixture.ingest(store, history.get(0)).get(0);
            assertThat(o).isInstanceOf(IngestOutcome.Rejected.class);
            assertThat(((IngestOutcome.Rejected) o).reason()).isEqualTo(Rejection.PREV_MISMATCH);
            assertThat(store.equivocations()).isEmpty();
            assertThat(store.head(keys.id()).orElseThrow().seq()).isEqualTo(1);
        }
    }

    @Test
    void anOwnEventNotSignedByTheOwnKeyIsStillRefused() {
        List<SignedEvent> history = history(1);
        SignedEvent e = history.get(0);
        byte[] forged = NodeKeyPair.generate().sign(org.council.ledger.codec.EventCodec.DOMAIN, e.payload());
        try (RocksLedgerStore store = fixture.open(restored, keys)) {
            IngestOutcome o = StoreFixture.ingestOne(store,
                    org.council.ledger.codec.EventCodec.encodeEnvelope(e.payload(), forged));
            assertThat(((IngestOutcome.Rejected) o).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
            assertThat(store.head(keys.id())).isEmpty();
        }
    }

    @Test
    void theStartUpHoldEndsWhenAPeerIsHeard() throws Exception {
        try (RocksLedgerStore store = fixture.open(restored, keys)) {
            store.holdOwnAppends(600_000);
            CompletableFuture<SignedEvent> waiting = store.append(FeedBuilder.capabilities("caps"));
            assertThat(waiting).isNotDone();
            store.ownFeedSeenAt(0);
            store.releaseOwnAppendHold();
            assertThat(waiting.get(30, TimeUnit.SECONDS).seq()).isEqualTo(1);
        }
    }

    @Test
    void timestampsFollowTheClockWithABoundedForwardStep() {
        long skew = 300_000;
        assertThat(OwnFeedSigner.nextTimestamp(1_000_000, 900_000, skew)).isEqualTo(1_000_000); // the clock
        assertThat(OwnFeedSigner.nextTimestamp(1_000_000, 1_100_000, skew)).isEqualTo(1_100_000); // never before prev
        // a past forward jump of an hour: stay within what peers accept rather than follow it
        assertThat(OwnFeedSigner.nextTimestamp(1_000_000, 4_600_000, skew)).isEqualTo(1_300_000);
    }

    @Test
    void afterAClockJumpOwnEventsStayAcceptableToPeers() {
        try (RocksLedgerStore store = fixture.open(restored, keys)) {
            long now = fixture.clock.get();
            fixture.clock.set(now + 3_600_000); // the clock jumps an hour ahead
            SignedEvent ahead = store.append(FeedBuilder.capabilities("a")).join();
            fixture.clock.set(now); // and is corrected
            SignedEvent next = store.append(FeedBuilder.capabilities("b")).join();
            assertThat(ahead.timestampMs()).isEqualTo(now + 3_600_000);
            assertThat(next.timestampMs()).isLessThanOrEqualTo(now + fixture.config.maxClockSkewMs() / 2);
        }
    }
}
