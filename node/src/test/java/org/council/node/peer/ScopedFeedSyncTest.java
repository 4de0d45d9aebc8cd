package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.ScopeConfig;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication scope between two real ledgers over in-memory links: a full node {@code a} holding
 * third feeds, and a scoped node {@code b} that asks only for what its scope holds.
 */
class ScopedFeedSyncTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private Context context;
    private LedgerStore a;
    private LedgerStore b;
    private final FeedBuilder x = FeedBuilder.random();
    private final FeedBuilder y = FeedBuilder.random();

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        a = RocksLedgerStore.open(dir.resolve("a"), NodeKeyPair.generate(), LedgerConfig.defaults());
        b = RocksLedgerStore.open(dir.resolve("b"), NodeKeyPair.generate(), LedgerConfig.defaults());
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        a.close();
        b.close();
    }

    @Test
    void aScopedNodeGetsOnlyItsScopeAndPullsANewCounterpartyAsSoonAsItsReceiptIsWritten() throws Exception {
        // given: a holds its own feed and two third feeds; x has served b, y is a stranger to b
        for (int i = 0; i < 3; i++) {
            a.append(FeedBuilder.capabilities("a" + i)).join();
        }
        x.next(FeedBuilder.capabilities("x"));
        SignedEvent proposal = x.next(FeedBuilder.proposal(b.self(), 1_000));
        y.next(FeedBuilder.capabilities("y"));
        a.ingestFeed(x.id(), x.envelopes()).join();
        a.ingestFeed(y.id(), y.envelopes()).join();
        LocalScope scope = LocalScope.of(PeerConfig.Replication.scoped(new ScopeConfig(2, 100), Set.of()), b.self());
        on(() -> scope.load(context, b)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        on(() -> scope.connected(a.self()));
        FakeChannel aToB = new FakeChannel(b.self(), context);
        FakeChannel bToA = new FakeChannel(a.self(), context);
        FeedSync atA = on(() -> new FeedSync(aToB, a, PeerConfig.localDefaults(), LocalScope.full(), new ServeTurns(), o -> { }));
        FeedSync atB = on(() -> new FeedSync(bToA, b, PeerConfig.localDefaults(), scope, new ServeTurns(), o -> { }));
        link(aToB, atB, bToA, atA);
        b.onCommitted(events -> context.runOnContext(v -> {
            atB.onScopeChanged(scope.committed(events));
            atB.onCommitted(events);
        }));
        a.onCommitted(events -> context.runOnContext(v -> atA.onCommitted(events)));
        on(() -> {
            atA.start();
            atB.start();
            return null;
        });

        // when: the clocks exchange ends
        await(() -> b.head(a.self()).map(h -> h.seq() == 3).orElse(false));

        // then: the connected peer's feed came, nothing else; b's clocks said it is scoped
        assertThat(b.head(x.id())).isEmpty();
        assertThat(b.head(y.id())).isEmpty();
        assertThat(bToA.sent.get(0)).isInstanceOfSatisfying(WireMessage.Clocks.class, c -> assertThat(c.scoped()).isTrue());

        // when: b acknowledges x's service, x is a direct counterparty: b asks a for x's feed at once
        b.append(FeedBuilder.ack(proposal)).join();
        await(() -> b.head(x.id()).map(h -> h.seq() == 2).orElse(false));
        assertThat(bToA.sent).anySatisfy(m -> assertThat(m).isEqualTo(new WireMessage.RangeRequest(x.id(), 1, 0, false)));

        // and live pushes follow the scope: x's next event comes, y's never does
        a.ingestFeed(y.id(), List.of(y.next(FeedBuilder.capabilities("y2")).envelope())).join();
        a.ingestFeed(x.id(), List.of(x.next(FeedBuilder.capabilities("x3")).envelope())).join();
        await(() -> b.head(x.id()).map(h -> h.seq() == 3).orElse(false));
        assertThat(aToB.sent).noneMatch(m -> m instanceof WireMessage.EventBatch e && e.author().equals(y.id()));

        // a batch of a feed out of b's scope (a peer that ignores scope) is not stored, and is no violation
        on(() -> {
            atB.onEvents(new WireMessage.EventBatch(y.id(), y.envelopes()));
            return null;
        });
        a.append(FeedBuilder.capabilities("a-last")).join();
        await(() -> b.head(a.self()).map(h -> h.seq() == 4).orElse(false));
        assertThat(b.head(y.id())).isEmpty();
        assertThat(bToA.closedWith).isNull();
        assertThat(aToB.closedWith).isNull();

        // when b drops x from its scope, a sends no more of it
        on(() -> {
            atA.onRangeRequest(new WireMessage.RangeRequest(x.id(), 4, 0, true));
            return null;
        });
        a.ingestFeed(x.id(), List.of(x.next(FeedBuilder.capabilities("x4")).envelope())).join();
        a.append(FeedBuilder.capabilities("a-after-drop")).join();
        await(() -> b.head(a.self()).map(h -> h.seq() == 5).orElse(false));
        assertThat(b.head(x.id()).orElseThrow().seq()).isEqualTo(3);
    }

    @Test
    void aPartialFeedIsSentOnlyUpToTheSeqItsClocksAskFor() throws Exception {
        for (int i = 0; i < 6; i++) {
            x.next(FeedBuilder.capabilities("x" + i));
        }
        a.ingestFeed(x.id(), x.envelopes()).join();
        FakeChannel aToB = new FakeChannel(b.self(), context);
        FeedSync atA = on(() -> new FeedSync(aToB, a, PeerConfig.localDefaults(), LocalScope.full(), new ServeTurns(), o -> { }));

        on(() -> {
            atA.start();
            atA.onClocks(new WireMessage.Clocks(List.of(new WireMessage.FeedClock(x.id(), 1, 4)), true, true));
            return null;
        });

        await(() -> aToB.sent.stream().anyMatch(m -> m instanceof WireMessage.EventBatch));
        assertThat(aToB.sent).filteredOn(m -> m instanceof WireMessage.EventBatch).singleElement()
                .isInstanceOfSatisfying(WireMessage.EventBatch.class, e -> {
                    assertThat(e.author()).isEqualTo(x.id());
                    assertThat(e.events()).hasSize(3); // seqs 2, 3, 4
                });
        assertThat(aToB.sent).noneMatch(m -> m instanceof WireMessage.EventBatch e && e.author().equals(a.self()));
    }

    @Test
    void aPeerAskingForMoreFeedsThanItsClocksMayHoldIsFlooding() throws Exception {
        PeerConfig tight = PeerConfig.localDefaults().withLimits(SessionLimits.defaults().withMaxClockEntries(8));
        FakeChannel attacker = new FakeChannel(NodeKeyPair.generate().id(), context);
        FeedSync atA = on(() -> new FeedSync(attacker, a, tight, LocalScope.full(), new ServeTurns(), o -> { }));

        on(() -> {
            atA.start();
            atA.onClocks(new WireMessage.Clocks(List.of(), true, true));
            for (int i = 0; i < 20 && attacker.closedWith == null; i++) {
                atA.onRangeRequest(new WireMessage.RangeRequest(NodeKeyPair.generate().id(), 1, 0, false));
            }
            return null;
        });

        assertThat(attacker.closedWith).isEqualTo(WireMessage.Reason.FLOODING);
        assertThat(attacker.banned).isTrue();
    }

    private void link(FakeChannel aToB, FeedSync atB, FakeChannel bToA, FeedSync atA) {
        aToB.deliver = m -> context.runOnContext(v -> route(atB, m));
        bToA.deliver = m -> context.runOnContext(v -> route(atA, m));
    }

    private static void route(FeedSync to, WireMessage m) {
        switch (m.kind()) {
            case CLOCKS -> to.onClocks((WireMessage.Clocks) m);
            case EVENTS -> to.onEvents((WireMessage.EventBatch) m);
            case RANGE_REQUEST -> to.onRangeRequest((WireMessage.RangeRequest) m);
            default -> throw new AssertionError("not replication: " + m);
        }
    }

    private <T> T on(Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> f.complete(work.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
