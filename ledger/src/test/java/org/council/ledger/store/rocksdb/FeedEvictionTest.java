package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerAudit;
import org.council.ledger.store.Rejection;
import org.council.ledger.testing.FeedBuilder;
import org.council.ledger.testing.UnknownKindEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction at the feed cap: a new feed pushes out the least connected feed the node has no reason
 * to hold, in the same commit; what balances, karma and fork evidence depend on is never evicted,
 * and the store stays consistent with its log across a restart.
 */
class FeedEvictionTest {

    @TempDir
    Path dir;

    private final StoreFixture fixture = new StoreFixture();
    private final NodeKeyPair self = NodeKeyPair.generate();

    private RocksLedgerStore open(int maxFeeds) {
        return RocksLedgerStore.open(dir, self, fixture.config.withMaxFeeds(maxFeeds));
    }

    private static FeedBuilder feed(int events, String label) {
        FeedBuilder f = FeedBuilder.random();
        for (int i = 0; i < events; i++) {
            f.next(FeedBuilder.capabilities(label + i));
        }
        return f;
    }

    private static List<IngestOutcome> ingest(RocksLedgerStore store, FeedBuilder f) {
        return StoreFixture.ingest(store, f.events().toArray(SignedEvent[]::new));
    }

    private static List<NodeId> held(RocksLedgerStore store) {
        return store.heads().stream().map(FeedHead::author).toList();
    }

    @Test
    void aFeedTheNodeKeepsIsPassedOverLikeACounterpartys() {
        FeedBuilder connected = feed(1, "peer"); // the least connected by every rule, but kept
        FeedBuilder two = feed(2, "two");
        FeedBuilder newcomer = feed(1, "new");
        try (RocksLedgerStore store = open(2)) {
            store.keepFeeds(connected.id()::equals);
            assertThat(ingest(store, connected)).allMatch(IngestOutcome::accepted);
            assertThat(ingest(store, two)).allMatch(IngestOutcome::accepted);

            assertThat(ingest(store, newcomer)).allMatch(IngestOutcome::accepted);

            assertThat(held(store)).as("the two-event stranger went instead")
                    .containsExactlyInAnyOrder(connected.id(), newcomer.id());
        }
    }

    @Test
    void atTheCapANewFeedEvictsTheLeastConnectedStrangerAndTheStoreStaysConsistent() {
        FeedBuilder two = feed(2, "two");
        FeedBuilder one = feed(1, "one");
        FeedBuilder three = feed(3, "three");
        FeedBuilder newcomer = feed(1, "new");
        List<NodeId> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RocksLedgerStore store = open(3)) {
            store.onEvicted(told::addAll);
            assertThat(ingest(store, two)).allMatch(IngestOutcome::accepted);
            assertThat(ingest(store, one)).allMatch(IngestOutcome::accepted);
            assertThat(ingest(store, three)).allMatch(IngestOutcome::accepted);

            assertThat(ingest(store, newcomer)).allMatch(IngestOutcome::accepted);

            assertThat(held(store)).containsExactlyInAnyOrder(two.id(), three.id(), newcomer.id());
            assertThat(store.event(one.id(), 1)).as("the evicted feed's event").isEmpty();
            assertThat(store.event(one.events().get(0).id())).as("its index entry").isEmpty();
            assertThat(store.eventCount()).isEqualTo(2 + 3 + 1);
            assertThat(store.projectionsMatchReplay()).isTrue();
            assertThat(told).as("eviction listeners").containsExactly(one.id());

            // an evicted feed is just a feed again: it comes back, and the least connected goes
            // (the newcomer is now the only feed of one event)
            assertThat(ingest(store, one)).allMatch(IngestOutcome::accepted);
            assertThat(held(store)).containsExactlyInAnyOrder(two.id(), three.id(), one.id());
        }
        try (RocksLedgerStore store = open(3)) {
            assertThat(held(store)).containsExactlyInAnyOrder(two.id(), three.id(), one.id());
            assertThat(store.eventCount()).isEqualTo(2 + 3 + 1);
            assertThat(store.projectionsMatchReplay()).isTrue();
            assertThat(new LedgerAudit(store).verifyAll().ok()).isTrue();
            // the candidates were rebuilt from the heads at open
            assertThat(ingest(store, feed(1, "after")).get(0).accepted()).isTrue();
            assertThat(held(store)).hasSize(3).contains(two.id(), three.id()).doesNotContain(one.id());
        }
    }

    @Test
    void amongEquallySmallFeedsTheOldestHeadGoesAndUnknownKindsAreEvictable() {
        NodeKeyPair oldKeys = NodeKeyPair.generate();
        NodeKeyPair newerKeys = NodeKeyPair.generate();
        SignedEvent old = UnknownKindEvents.sign(oldKeys, 1, null, FeedBuilder.T0, 100);
        SignedEvent newer = new FeedBuilder(newerKeys).sign(1, null, FeedBuilder.T0 + 60_000, FeedBuilder.capabilities("n"));
        try (RocksLedgerStore store = open(2)) {
            assertThat(StoreFixture.ingest(store, newer, old)).allMatch(IngestOutcome::accepted);
            assertThat(ingest(store, feed(1, "x")).get(0).accepted()).isTrue();
            assertThat(held(store)).contains(newerKeys.id()).doesNotContain(oldKeys.id());
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
    }

    @Test
    void ownCounterpartyReceiptRatingAndEquivocatorFeedsAreNeverEvicted() {
        FeedBuilder counterparty = feed(1, "c");
        FeedBuilder server = FeedBuilder.random();
        FeedBuilder requester = FeedBuilder.random();
        FeedBuilder rater = FeedBuilder.random();
        FeedBuilder liar = feed(2, "l");
        FeedBuilder newcomer = feed(1, "new");
        try (RocksLedgerStore store = open(6)) {
            store.append(FeedBuilder.proposal(counterparty.id(), 1_000)).join();
            assertThat(ingest(store, counterparty)).allMatch(IngestOutcome::accepted);
            // a receipt settled between two strangers: balances and karma depend on both halves
            SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 2_000));
            requester.next(FeedBuilder.ack(proposal));
            assertThat(ingest(store, server)).allMatch(IngestOutcome::accepted);
            assertThat(ingest(store, requester)).allMatch(IngestOutcome::accepted);
            assertThat(store.account(server.id()).earnedMilli()).isEqualTo(2_000);
            rater.next(new EventBody.Rating(JobId.random(), List.of(new EventBody.RatedMember(server.id(), 1_000, 2))));
            assertThat(ingest(store, rater)).allMatch(IngestOutcome::accepted);
            assertThat(ingest(store, liar)).allMatch(IngestOutcome::accepted);
            SignedEvent original = liar.events().get(0);
            SignedEvent fork = liar.sign(1, null, original.timestampMs(), FeedBuilder.capabilities("fork"));
            assertThat(StoreFixture.ingestOne(store, fork.envelope())).isInstanceOf(IngestOutcome.ForkDetected.class);
            List<NodeId> before = held(store);
            assertThat(before).hasSize(6);

            IngestOutcome refused = ingest(store, newcomer).get(0);

            assertThat(refused).isInstanceOf(IngestOutcome.Rejected.class);
            assertThat(((IngestOutcome.Rejected) refused).reason()).isEqualTo(Rejection.FEED_LIMIT);
            assertThat(held(store)).containsExactlyInAnyOrderElementsOf(before);
            assertThat(store.account(server.id()).earnedMilli()).isEqualTo(2_000);
            assertThat(store.isEquivocator(liar.id())).isTrue();
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
        // and after a restart, when the candidates are rebuilt from heads without their events
        try (RocksLedgerStore store = open(6)) {
            IngestOutcome refused = ingest(store, feed(1, "later")).get(0);
            assertThat(((IngestOutcome.Rejected) refused).reason()).isEqualTo(Rejection.FEED_LIMIT);
            assertThat(store.heads()).hasSize(6);
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
    }

    @Test
    void inOneBatchEachNewFeedEvictsOneAndAFeedTheBatchWritesIsPassedOver() {
        FeedBuilder a = feed(1, "a");
        FeedBuilder b = feed(1, "b");
        FeedBuilder c = feed(1, "c");
        try (RocksLedgerStore store = open(3)) {
            assertThat(StoreFixture.ingest(store, a.events().get(0), b.events().get(0), c.events().get(0)))
                    .allMatch(IngestOutcome::accepted);
            // a, b and c are equally small; a grows in this batch, so it is passed over however the
            // three are ordered, and d and e evict b and c
            FeedBuilder d = feed(1, "d");
            FeedBuilder e = feed(1, "e");
            SignedEvent a2 = a.next(FeedBuilder.capabilities("a2"));
            List<IngestOutcome> out = StoreFixture.ingest(store, a2, d.events().get(0), e.events().get(0));
            assertThat(out).allMatch(IngestOutcome::accepted);
            assertThat(held(store)).containsExactlyInAnyOrder(a.id(), d.id(), e.id());
            assertThat(store.eventCount()).isEqualTo(4);
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
    }

    @Test
    void anEventThatCannotStartAFeedEvictsNothing() {
        FeedBuilder held = feed(1, "held");
        FeedBuilder gap = feed(2, "gap");
        try (RocksLedgerStore store = open(1)) {
            assertThat(ingest(store, held)).allMatch(IngestOutcome::accepted);
            IngestOutcome o = StoreFixture.ingestOne(store, gap.events().get(1).envelope()); // seq 2 of an unknown feed
            assertThat(((IngestOutcome.Rejected) o).reason()).isEqualTo(Rejection.SEQ_GAP);
            assertThat(held(store)).containsExactly(held.id());
        }
    }

    @Test
    void aFeedOfMoreEventsThanTheBoundIsNeverEvicted() {
        FeedBuilder big = feed(FeedEviction.MAX_EVENTS + 1, "big");
        try (RocksLedgerStore store = open(1)) {
            assertThat(ingest(store, big)).allMatch(IngestOutcome::accepted);
            IngestOutcome refused = ingest(store, feed(1, "x")).get(0);
            assertThat(((IngestOutcome.Rejected) refused).reason()).isEqualTo(Rejection.FEED_LIMIT);
            assertThat(held(store)).containsExactly(big.id());
        }
    }
}
