package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.Scope;
import org.council.ledger.scope.ScopeConfig;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's scope over a real ledger: rebuilt from the log, fed commits, connections pinned. */
class LocalScopeTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private Context context;
    private LedgerStore store;

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        store = RocksLedgerStore.open(dir, NodeKeyPair.generate(), LedgerConfig.defaults());
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void commitsSeenBeforeTheScanEndsCountOnceAndTheScopeMatchesTheLog() throws Exception {
        // given: the node served x, and x served y (so y is two hops out)
        FeedBuilder x = FeedBuilder.random();
        FeedBuilder y = FeedBuilder.random();
        SignedEvent served = store.append(FeedBuilder.proposal(x.id(), 1_000)).join();
        x.next(FeedBuilder.ack(served));
        SignedEvent xServedY = x.next(FeedBuilder.proposal(y.id(), 1_000));
        store.ingestFeed(x.id(), x.envelopes()).join();
        SignedEvent yAck = y.next(FeedBuilder.ack(xServedY));
        store.ingestFeed(y.id(), y.envelopes()).join();
        LocalScope scope = LocalScope.of(PeerConfig.Replication.scoped(new ScopeConfig(2, 100), Set.of()), store.self());

        // when: the commit callbacks of events the scan will also read arrive before it starts
        on(() -> scope.observe(x.events()));
        on(() -> scope.observe(List.of(yAck)));
        on(() -> scope.load(context, store)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        // then
        assertThat(on(scope::ready)).isTrue();
        assertThat(on(scope::scope).entries()).containsOnly(
                java.util.Map.entry(store.self(), new Scope.Entry(0, Scope.WHOLE)),
                java.util.Map.entry(x.id(), new Scope.Entry(1, Scope.WHOLE)),
                java.util.Map.entry(y.id(), new Scope.Entry(2, Scope.WHOLE)));
        assertThat(on(() -> scope.accepts(y.id()))).isTrue();
        assertThat(on(() -> scope.accepts(FeedBuilder.random().id()))).isFalse();

        // and a connected stranger joins the scope while connected, then leaves it
        var stranger = FeedBuilder.random().id();
        assertThat(on(() -> scope.connected(stranger)).wanted()).containsOnlyKeys(stranger);
        assertThat(on(() -> scope.disconnected(stranger)).dropped()).containsExactly(stranger);
    }

    @Test
    void fullReplicationAcceptsEveryFeedAndNeverChanges() throws Exception {
        LocalScope full = LocalScope.full();
        var anyone = FeedBuilder.random().id();

        assertThat(full.scoped()).isFalse();
        assertThat(full.accepts(anyone)).isTrue();
        assertThat(on(() -> full.connected(anyone)).isEmpty()).isTrue();
        assertThat(full.observe(List.of(FeedBuilder.random().next(FeedBuilder.capabilities("m"))))).isFalse();
    }

    private <T> T on(Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> f.complete(work.get()));
        return f.get(10, TimeUnit.SECONDS);
    }
}
