package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.IngestOutcome;
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
 * Replication between two real ledgers (RocksDB in temp dirs: the store's validation is part of
 * what is tested) over in-memory links instead of TLS sockets.
 */
class FeedSyncTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private Context context;
    private LedgerStore a;
    private LedgerStore b;
    private final List<IngestOutcome> outcomes = new CopyOnWriteArrayList<>();

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

    private <T> T on(java.util.function.Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> f.complete(work.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    private static void route(FeedSync to, WireMessage m) {
        switch (m.kind()) {
            case CLOCKS -> to.onClocks((WireMessage.Clocks) m);
            case EVENTS -> to.onEvents((WireMessage.EventBatch) m);
            case RANGE_REQUEST -> to.onRangeRequest((WireMessage.RangeRequest) m);
            default -> throw new AssertionError("not replication: " + m);
        }
    }

    private FeedSync sync(FakeChannel link, LedgerStore store) {
        return new FeedSync(link, store, PeerConfig.localDefaults(), LocalScope.full(), new ServeTurns(), outcomes::addAll);
    }

    @Test
    void twoStoresConvergeOverInMemoryLinksAndNewEventsArePushed() throws Exception {
        for (int i = 0; i < 40; i++) {
            a.append(FeedBuilder.capabilities("a" + i)).join();
        }
        for (int i = 0; i < 5; i++) {
            b.append(FeedBuilder.capabilities("b" + i)).join();
        }
        FakeChannel aToB = new FakeChannel(b.self(), context);
        FakeChannel bToA = new FakeChannel(a.self(), context);
        FeedSync atA = on(() -> sync(aToB, a));
        FeedSync atB = on(() -> sync(bToA, b));
        aToB.deliver = m -> context.runOnContext(v -> route(atB, m));
        bToA.deliver = m -> context.runOnContext(v -> route(atA, m));
        a.onCommitted(events -> context.runOnContext(v -> atA.onCommitted(events)));
        b.onCommitted(events -> context.runOnContext(v -> atB.onCommitted(events)));
        on(() -> {
            atA.start();
            atB.start();
            return null;
        });

        await(() -> b.head(a.self()).equals(a.head(a.self())) && a.head(b.self()).equals(b.head(b.self())));
        assertThat(b.head(a.self()).orElseThrow().seq()).isEqualTo(40);
        assertThat(a.head(b.self()).orElseThrow().seq()).isEqualTo(5);

        a.append(FeedBuilder.capabilities("late")).join();
        await(() -> b.head(a.self()).orElseThrow().seq() == 41);

        assertThat(aToB.closedWith).isNull();
        assertThat(bToA.closedWith).isNull();
        assertThat(outcomes).allMatch(o -> o instanceof IngestOutcome.Accepted);
        // each side sent its clocks first, and never echoed the peer's own feed back to it
        assertThat(aToB.sent.get(0)).isInstanceOf(WireMessage.Clocks.class);
        assertThat(aToB.sent).filteredOn(m -> m instanceof WireMessage.EventBatch e && e.author().equals(b.self()))
                .isEmpty();
    }

    @Test
    void eventsBeforeClocksAreAViolation() throws Exception {
        FakeChannel link = new FakeChannel(NodeKeyPair.generate().id(), context);
        FeedBuilder feed = new FeedBuilder(NodeKeyPair.generate());
        feed.next(FeedBuilder.capabilities("m"));
        on(() -> {
            sync(link, a).onEvents(new WireMessage.EventBatch(feed.id(), feed.envelopes()));
            return null;
        });
        assertThat(link.closedWith).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
        assertThat(link.banned).isTrue();
    }

    @Test
    void clocksTwiceAndARangeFromSeqZeroAreViolations() throws Exception {
        FakeChannel twice = new FakeChannel(NodeKeyPair.generate().id(), context);
        on(() -> {
            FeedSync s = sync(twice, a);
            s.onClocks(new WireMessage.Clocks(List.of(), true));
            s.onClocks(new WireMessage.Clocks(List.of(), true));
            return null;
        });
        assertThat(twice.closedWith).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);

        FakeChannel range = new FakeChannel(NodeKeyPair.generate().id(), context);
        on(() -> {
            sync(range, a).onRangeRequest(new WireMessage.RangeRequest(a.self(), 0));
            return null;
        });
        assertThat(range.closedWith).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
    }

    @Test
    void aForgedEventIsAnInvalidEvent() throws Exception {
        FakeChannel link = new FakeChannel(NodeKeyPair.generate().id(), context);
        FeedBuilder feed = new FeedBuilder(NodeKeyPair.generate());
        feed.next(FeedBuilder.capabilities("m"));
        byte[] forged = feed.envelopes().get(0).clone();
        forged[forged.length - 1] ^= 1;
        FeedSync s = on(() -> sync(link, a));
        on(() -> {
            s.onClocks(new WireMessage.Clocks(List.of(), true));
            s.onEvents(new WireMessage.EventBatch(feed.id(), List.of(forged)));
            return null;
        });
        await(() -> link.closedWith != null);
        assertThat(link.closedWith).isEqualTo(WireMessage.Reason.INVALID_EVENT);
        assertThat(a.head(feed.id())).isEmpty();
    }

    @Test
    void calledOffItsContextItAsserts() {
        FakeChannel link = new FakeChannel(NodeKeyPair.generate().id(), context);
        FeedSync s = sync(link, a);
        assertThatThrownBy(s::start).isInstanceOf(AssertionError.class).hasMessageContaining("confined");
        assertThatThrownBy(() -> s.onClocks(new WireMessage.Clocks(List.of(), true)))
                .isInstanceOf(AssertionError.class);
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
