package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions from one address take turns at the reads of their catch-up: identities that cost an
 * attacker nothing, all pulling the whole ledger from one address, get one read at a time between
 * them, and each still gets everything.
 */
class ServeTurnsTest {

    @TempDir
    Path dir;

    @Test
    void aWaiterOfAClosedSessionPassesTheTurnOn() {
        ServeTurns turns = new ServeTurns();
        List<String> ran = new ArrayList<>();
        assertThat(turns.take("10.0.0.9", () -> ran.add("first"))).isTrue();
        assertThat(turns.take("10.0.0.9", () -> ran.add("closed, takes nothing"))).isFalse();
        assertThat(turns.take("10.0.0.9", () -> {
            ran.add("next");
            turns.take("10.0.0.9", () -> { });
        })).isFalse();
        assertThat(turns.take("10.0.0.7", () -> { })).as("another address reads alongside").isTrue();
        assertThat(turns.take(null, () -> { })).as("no host: not gated").isTrue();

        turns.release("10.0.0.9");

        assertThat(ran).containsExactly("closed, takes nothing", "next");
        turns.release("10.0.0.9");
        assertThat(turns.waitingHosts()).isZero();
    }

    @Test
    void aReadThatCompletesAtOnceInsideItsTurnLosesNoWaiter() {
        ServeTurns turns = new ServeTurns();
        List<String> ran = new ArrayList<>();
        String host = "10.0.0.9";
        assertThat(turns.take(host, () -> { })).isTrue();
        assertThat(turns.take(host, () -> {
            ran.add("B");
            assertThat(turns.take(host, () -> { })).isTrue(); // B reads...
            turns.release(host); // ...and its read completes at once, inside the release that woke B
            assertThat(turns.take(host, () -> { })).isTrue(); // B reads again
            assertThat(turns.take(host, () -> ran.add("C"))).isFalse(); // C waits meanwhile
        })).isFalse();

        turns.release(host);
        assertThat(turns.waitingHosts()).as("C still waits").isEqualTo(1);
        turns.release(host);

        assertThat(ran).containsExactly("B", "C");
    }

    @Test
    void sessionsFromOneAddressGetOneReadAtATimeAndEachGetsTheWholeLedger() throws Exception {
        int events = 3 * FeedSync.MAX_BATCH_EVENTS;
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, NodeKeyPair.generate(), LedgerConfig.defaults())) {
            FeedBuilder author = FeedBuilder.random();
            for (int i = 0; i < events; i++) {
                author.next(FeedBuilder.capabilities("e" + i));
            }
            store.ingest(author.envelopes()).join();
            AtomicInteger reading = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            LedgerStore slowReads = (LedgerStore) Proxy.newProxyInstance(LedgerStore.class.getClassLoader(),
                    new Class<?>[] {LedgerStore.class}, (proxy, method, args) -> {
                        boolean read = method.getName().equals("feedEnvelopes");
                        if (read) {
                            most.accumulateAndGet(reading.incrementAndGet(), Math::max);
                            Thread.sleep(20); // reads that overlap unless something serialises them
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (read) {
                                reading.decrementAndGet();
                            }
                        }
                    });
            ServeTurns turns = new ServeTurns();
            List<FakeChannel> sessions = new ArrayList<>();
            CompletableFuture<Void> started = new CompletableFuture<>();
            context.runOnContext(v -> {
                for (int i = 0; i < 3; i++) {
                    FakeChannel s = new FakeChannel(NodeKeyPair.generate().id(), context);
                    s.host = "10.0.0.9";
                    sessions.add(s);
                    FeedSync sync = new FeedSync(s, slowReads, PeerConfig.localDefaults(), LocalScope.full(), turns,
                            o -> { });
                    sync.start();
                    sync.onClocks(new WireMessage.Clocks(List.of(), true)); // a fresh identity: it has nothing
                }
                started.complete(null);
            });
            started.get(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sessions.stream().mapToInt(ServeTurnsTest::eventsSent).sum() < 3 * events
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (FakeChannel s : sessions) {
                assertThat(eventsSent(s)).isEqualTo(events);
            }
            assertThat(most.get()).as("reads at once for one address").isEqualTo(1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static int eventsSent(FakeChannel s) {
        return s.sent.stream().filter(m -> m instanceof WireMessage.EventBatch)
                .mapToInt(m -> ((WireMessage.EventBatch) m).events().size()).sum();
    }
}
