package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.JobId;
import org.council.ledger.event.Limits;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.Rejection;
import org.council.ledger.testing.FeedBuilder;
import org.council.ledger.testing.UnknownKindEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stranger can make the store hold: feeds up to the cap (beyond it, when nothing may be
 * evicted: {@link FeedEvictionTest}), unknown kinds within their tighter
 * size limit, and one equivocation proof per liar however many seqs it forks.
 */
class StorageAdmissionTest {

    @TempDir
    Path dir;

    private final StoreFixture fixture = new StoreFixture();

    @Test
    void aLiarForkingManySeqsGetsOneProofPublished() {
        NodeKeyPair self = NodeKeyPair.generate();
        FeedBuilder liar = FeedBuilder.random();
        for (int i = 0; i < 10; i++) {
            liar.next(FeedBuilder.capabilities("a" + i));
        }
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            assertThat(StoreFixture.ingest(store, liar.events().toArray(SignedEvent[]::new))).allMatch(IngestOutcome::accepted);
            List<IngestOutcome> forks = new ArrayList<>();
            for (int seq = 1; seq <= 10; seq++) {
                SignedEvent original = liar.events().get(seq - 1);
                SignedEvent fork = liar.sign(seq, original.prev(), original.timestampMs(), FeedBuilder.capabilities("b" + seq));
                forks.add(StoreFixture.ingestOne(store, fork.envelope()));
            }
            assertThat(forks).allMatch(o -> o instanceof IngestOutcome.ForkDetected);
            assertThat(store.isEquivocator(liar.id())).isTrue();
            StoreFixture.awaitEvent(store, self.id(), 1);
            assertThat(store.equivocations()).hasSize(1);
            // one more own append, to be sure nothing else was still on its way into the own feed
            SignedEvent marker = store.append(FeedBuilder.capabilities("marker")).join();
            assertThat(marker.seq()).isEqualTo(2);
            assertThat(store.event(self.id(), 1).orElseThrow().kind()).isEqualTo(EventKind.EQUIVOCATION_OBSERVED);
        }
    }

    /** A first event that keeps its feed from eviction: karma reads ratings (FeedEvictionTest has the rest). */
    private static EventBody.Rating rating() {
        return new EventBody.Rating(JobId.random(), List.of(new EventBody.RatedMember(NodeKeyPair.generate().id(), 1_000, 1)));
    }

    @Test
    void newFeedsBeyondTheCapAreRefusedWhenNothingIsEvictableAndHeldFeedsGoOn() {
        NodeKeyPair self = NodeKeyPair.generate();
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, fixture.config.withMaxFeeds(3))) {
            List<FeedBuilder> feeds = new ArrayList<>();
            List<IngestOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                FeedBuilder f = FeedBuilder.random();
                feeds.add(f);
                outcomes.add(StoreFixture.ingestOne(store, f.next(rating()).envelope()));
            }
            assertThat(outcomes.subList(0, 3)).allMatch(IngestOutcome::accepted);
            assertThat(outcomes.subList(3, 6)).allSatisfy(o ->
                    assertThat(((IngestOutcome.Rejected) o).reason()).isEqualTo(Rejection.FEED_LIMIT));
            assertThat(store.heads()).hasSize(3);
            // a held feed grows as before; the own feed is never refused
            assertThat(StoreFixture.ingestOne(store, feeds.get(0).next(FeedBuilder.capabilities("n")).envelope()).accepted())
                    .isTrue();
            assertThat(store.append(FeedBuilder.capabilities("own")).join().seq()).isEqualTo(1);
            // in one batch too: the writer counts the feeds its batch starts
            FeedBuilder x = FeedBuilder.random();
            assertThat(StoreFixture.ingest(store, x.next(FeedBuilder.capabilities("x"))).get(0))
                    .isInstanceOf(IngestOutcome.Rejected.class);
        }
        // the count survives a restart
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, fixture.config.withMaxFeeds(5))) {
            FeedBuilder a = FeedBuilder.random();
            FeedBuilder b = FeedBuilder.random();
            List<IngestOutcome> both = StoreFixture.ingest(store, a.next(FeedBuilder.capabilities("a")),
                    b.next(FeedBuilder.capabilities("b")));
            assertThat(both.get(0).accepted()).isTrue(); // 4 + 1 = 5
            assertThat(((IngestOutcome.Rejected) both.get(1)).reason()).isEqualTo(Rejection.FEED_LIMIT);
        }
    }

    @Test
    void aCounterpartysFeedIsTakenBeyondTheCap() {
        NodeKeyPair self = NodeKeyPair.generate();
        FeedBuilder requester = FeedBuilder.random();
        FeedBuilder later = FeedBuilder.random();
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, fixture.config.withMaxFeeds(2))) {
            FeedBuilder stranger = FeedBuilder.random();
            assertThat(StoreFixture.ingestOne(store, stranger.next(rating()).envelope()).accepted())
                    .isTrue();
            store.append(FeedBuilder.proposal(requester.id(), 1_000)).join(); // this node served requester: 2 feeds
            assertThat(StoreFixture.ingestOne(store, requester.next(FeedBuilder.capabilities("r")).envelope()).accepted())
                    .as("the counterparty's feed, beyond the cap").isTrue();
            IngestOutcome refused = StoreFixture.ingestOne(store, FeedBuilder.random().next(FeedBuilder.capabilities("x"))
                    .envelope());
            assertThat(((IngestOutcome.Rejected) refused).reason()).isEqualTo(Rejection.FEED_LIMIT);
            store.append(FeedBuilder.proposal(later.id(), 1_000)).join();
        }
        // counterparties are known again after a restart, from the own feed
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, fixture.config.withMaxFeeds(2))) {
            assertThat(StoreFixture.ingestOne(store, later.next(FeedBuilder.capabilities("l")).envelope()).accepted())
                    .isTrue();
        }
    }

    @Test
    void unknownKindsHaveATighterSizeLimitThanKnownOnes() {
        NodeKeyPair author = NodeKeyPair.generate();
        try (RocksLedgerStore store = fixture.open(dir, NodeKeyPair.generate())) {
            SignedEvent small = UnknownKindEvents.sign(author, 1, null, FeedBuilder.T0, 1_000);
            assertThat(StoreFixture.ingestOne(store, small.envelope()).accepted()).isTrue();
            SignedEvent big = UnknownKindEvents.sign(author, 2, small.id(), FeedBuilder.T0 + 1, 8_000);
            assertThat(big.size()).isBetween(Limits.MAX_UNKNOWN_EVENT_BYTES, Limits.MAX_EVENT_BYTES);
            IngestOutcome o = StoreFixture.ingestOne(store, big.envelope());
            assertThat(o).isInstanceOf(IngestOutcome.Rejected.class);
            assertThat(((IngestOutcome.Rejected) o).reason()).isEqualTo(Rejection.OVERSIZE);
            assertThat(store.head(author.id()).orElseThrow().seq()).isEqualTo(1);
        }
    }
}
