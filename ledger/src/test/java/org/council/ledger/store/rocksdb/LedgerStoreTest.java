package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerCorruptedException;
import org.council.ledger.store.LedgerAudit;
import org.council.ledger.store.LedgerException;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerStoreTest {

    @TempDir
    Path dir;
    private final StoreFixture fixture = new StoreFixture();
    private final NodeKeyPair self = NodeKeyPair.generate();

    @Test
    void ownAppendsChainAndSurviveReopen() {
        List<SignedEvent> appended = new ArrayList<>();
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            for (int i = 0; i < 5; i++) {
                appended.add(store.append(FeedBuilder.capabilities("m" + i)).join());
            }
        }
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            assertThat(store.head(self.id()).orElseThrow().seq()).isEqualTo(5);
            try (Stream<SignedEvent> feed = store.feed(self.id(), 1, 100)) {
                assertThat(feed.map(SignedEvent::id).toList()).containsExactlyElementsOf(
                        appended.stream().map(SignedEvent::id).toList());
            }
            for (int i = 1; i < appended.size(); i++) {
                assertThat(appended.get(i).prev()).isEqualTo(appended.get(i - 1).id());
            }
            assertThat(store.event(appended.get(2).id())).contains(appended.get(2));
            assertThat(store.eventCount()).isEqualTo(5);
        }
    }

    @Test
    void concurrentAppendsAreGroupCommittedIntoOneContiguousChain() throws Exception {
        int threads = 8;
        int perThread = 300;
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<CompletableFuture<SignedEvent>> all = new ArrayList<>();
            List<java.util.concurrent.Future<List<CompletableFuture<SignedEvent>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<SignedEvent>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.append(FeedBuilder.capabilities("m")));
                    }
                    return mine;
                }));
            }
            for (var f : submitted) {
                all.addAll(f.get());
            }
            pool.shutdown();
            List<Long> seqs = all.stream().map(f -> f.join().seq()).sorted().toList();
            assertThat(seqs).hasSize(threads * perThread);
            for (int i = 0; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(i + 1L);
            }
            assertThat(new LedgerAudit(store).verifyAll().ok()).isTrue();
        }
    }

    @Test
    void forkIsStoredAsProofMarksTheAuthorAndReplicatesAsAnEvent() {
        FeedBuilder liar = FeedBuilder.random();
        SignedEvent first = liar.next(FeedBuilder.capabilities("a"));
        SignedEvent fork = liar.sign(1, null, first.timestampMs(), FeedBuilder.capabilities("b"));
        try (RocksLedgerStore store = fixture.open(dir.resolve("a"), self)) {
            StoreFixture.ingest(store, first);

            IngestOutcome outcome = StoreFixture.ingestOne(store, fork.envelope());

            assertThat(outcome).isEqualTo(new IngestOutcome.ForkDetected(liar.id(), 1));
            assertThat(store.isEquivocator(liar.id())).isTrue();
            assertThat(store.account(liar.id()).equivocator()).isTrue();
            assertThat(store.equivocations()).singleElement().satisfies(p -> {
                assertThat(p.first().id()).isEqualTo(first.id());
                assertThat(p.second().id()).isEqualTo(fork.id());
            });
            assertThat(store.event(liar.id(), 1).orElseThrow().id()).as("the feed keeps the first version")
                    .isEqualTo(first.id());
            SignedEvent published = StoreFixture.awaitEvent(store, self.id(), 1);
            assertThat(published.kind()).isEqualTo(EventKind.EQUIVOCATION_OBSERVED);
            // the same fork again adds no second proof
            assertThat(StoreFixture.ingestOne(store, fork.envelope()))
                    .isEqualTo(new IngestOutcome.ForkDetected(liar.id(), 1));
            assertThat(store.equivocations()).hasSize(1);
            assertThat(store.head(self.id()).orElseThrow().seq()).isEqualTo(1);

            // a third node that never saw the fork learns it from the published proof
            try (RocksLedgerStore third = fixture.open(dir.resolve("c"), NodeKeyPair.generate())) {
                assertThat(StoreFixture.ingest(third, published)).allMatch(IngestOutcome::accepted);
                assertThat(third.isEquivocator(liar.id())).isTrue();
                assertThat(third.equivocations()).hasSize(1);
                assertThat(third.projectionsMatchReplay()).isTrue();
            }
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
    }

    @Test
    void creditsCountOnlyWhenBothHalvesArePresentInEitherOrder() {
        FeedBuilder server = FeedBuilder.random();
        FeedBuilder requester = FeedBuilder.random();
        SignedEvent p1 = server.next(FeedBuilder.proposal(requester.id(), 2000));
        SignedEvent p2 = server.next(FeedBuilder.proposal(requester.id(), 500));
        SignedEvent a1 = requester.next(FeedBuilder.ack(p1));
        SignedEvent a2 = requester.next(FeedBuilder.ack(p2));
        SignedEvent a1again = requester.next(FeedBuilder.ack(p1));
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            // the requester's feed (acks) arrives before the server's (proposals)
            StoreFixture.ingest(store, a1);
            assertThat(store.account(server.id()).earnedMilli()).isZero();
            StoreFixture.ingest(store, p1);
            assertThat(store.account(server.id()).earnedMilli()).isEqualTo(2000);
            assertThat(store.account(requester.id()).spentMilli()).isEqualTo(2000);
            // p2 arrives before its ack: pending until then
            StoreFixture.ingest(store, p2);
            assertThat(store.account(server.id()).pendingEarnedMilli()).isEqualTo(500);
            assertThat(store.account(server.id()).earnedMilli()).isEqualTo(2000);
            StoreFixture.ingest(store, a2, a1again);
            assertThat(store.account(server.id()).earnedMilli()).isEqualTo(2500);
            assertThat(store.account(server.id()).pendingEarnedMilli()).isZero();
            assertThat(store.account(server.id()).servedJobs()).isEqualTo(2);
            assertThat(store.account(requester.id()).balanceMilli()).isEqualTo(-2500);
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
    }

    @Test
    void aNodeCannotRaiseItsOwnBalanceByWritingToItsOwnFeed() {
        NodeKeyPair accomplice = NodeKeyPair.generate();
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            for (int i = 0; i < 10; i++) {
                store.append(FeedBuilder.proposal(accomplice.id(), 1_000_000)).join();
            }
            assertThatThrownBy(() -> store.append(FeedBuilder.proposal(self.id(), 1)).join())
                    .hasMessageContaining("serving itself");
            assertThat(store.account(self.id()).earnedMilli()).isZero();
            assertThat(store.account(self.id()).balanceMilli()).isZero();
            assertThat(store.account(self.id()).pendingEarnedMilli()).isEqualTo(10_000_000);
        }
    }

    @Test
    void rebuildGivesByteIdenticalProjections() {
        FeedBuilder a = FeedBuilder.random();
        FeedBuilder b = FeedBuilder.random();
        List<SignedEvent> bs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            SignedEvent p = a.next(FeedBuilder.proposal(b.id(), 100 + i));
            if (i % 3 != 0) {
                bs.add(b.next(FeedBuilder.ack(p)));
            }
        }
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            StoreFixture.ingest(store, bs.toArray(SignedEvent[]::new));
            StoreFixture.ingest(store, a.events().toArray(SignedEvent[]::new));
            List<byte[][]> live = store.projectionDump();
            assertThat(store.projectionsMatchReplay()).isTrue();
            store.rebuildProjections();
            List<byte[][]> rebuilt = store.projectionDump();
            assertThat(rebuilt).hasSameSizeAs(live);
            for (int i = 0; i < live.size(); i++) {
                assertThat(rebuilt.get(i)[0]).isEqualTo(live.get(i)[0]);
                assertThat(rebuilt.get(i)[1]).isEqualTo(live.get(i)[1]);
            }
        }
    }

    @Test
    void refusesToOpenOverABrokenChain() throws Exception {
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            for (int i = 0; i < 3; i++) {
                store.append(FeedBuilder.capabilities("m" + i)).join();
            }
        }
        // damage the middle event on disk behind the store's back
        try (RocksHandles raw = new RocksHandles(dir, true); org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch()) {
            byte[] key = StoreKeys.event(self.id(), 2);
            byte[] env = raw.get(Columns.EVENTS, key);
            env[env.length - 5] ^= 1;
            raw.put(b, Columns.EVENTS, key, env);
            raw.write(b);
        }
        assertThatThrownBy(() -> fixture.open(dir, self))
                .isInstanceOf(LedgerCorruptedException.class)
                .hasMessageContaining("seq 2")
                .hasMessageContaining("Refusing to open");
    }

    @Test
    void refusesAnUnknownSchemaVersion() {
        fixture.open(dir, self).close();
        try (RocksHandles raw = new RocksHandles(dir, true); org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch()) {
            raw.put(b, Columns.META, StoreKeys.SCHEMA_VERSION, StoreKeys.longValue(99));
            raw.write(b);
        }
        assertThatThrownBy(() -> fixture.open(dir, self))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            assertThatThrownBy(() -> fixture.open(dir, self)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("in use");
            assertThat(store.append(FeedBuilder.capabilities("still fine")).join().seq()).isEqualTo(1);
        }
    }

    @Test
    void appendAfterCloseFailsClearly() {
        RocksLedgerStore store = fixture.open(dir, self);
        store.close();
        assertThatThrownBy(() -> store.append(FeedBuilder.capabilities("x")).join())
                .hasRootCauseInstanceOf(LedgerException.class).hasMessageContaining("closed");
    }

    @Test
    void listenersSeeCommittedEventsInOrder() {
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RocksLedgerStore store = fixture.open(dir, self)) {
            store.onCommitted(events -> events.forEach(e -> seen.add(e.seq())));
            for (int i = 0; i < 4; i++) {
                store.append(new EventBody.CapabilitiesAnnounced(List.of(), "", 1, "")).join();
            }
        }
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
    }
}
