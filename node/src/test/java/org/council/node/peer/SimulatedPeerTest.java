package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
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
import org.council.node.readmodel.ModelDirectory;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale simulation's seam: two scoped nodes over in-memory links replicate a receipt and gossip a model. */
class SimulatedPeerTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private Context context;
    private LedgerStore a;
    private LedgerStore b;

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
    void bothHalvesOfAReceiptReachBothPartiesAndAnAnnouncedModelIsFound() throws Exception {
        PeerConfig config = PeerConfig.localDefaults()
                .withReplication(PeerConfig.Replication.scoped(ScopeConfig.defaults(), Set.of()));
        ModelDirectory atB = new ModelDirectory(ModelDirectory.Limits.defaults());
        SimulatedPeer peerA = peer(a, config, new ModelDirectory(ModelDirectory.Limits.defaults()));
        SimulatedPeer peerB = peer(b, config, atB);
        a.append(FeedBuilder.capabilities("rare-model")).join();

        // given: one session, each end handing its frames to the other on the context
        SimulatedPeer.Link[] ends = new SimulatedPeer.Link[2];
        WireMessage.Reason[] closed = new WireMessage.Reason[1];
        on(() -> {
            ends[0] = peerA.open(b.self(), m -> context.runOnContext(v -> ends[1].deliver(m)), (r, d) -> closed[0] = r);
            ends[1] = peerB.open(a.self(), m -> context.runOnContext(v -> ends[0].deliver(m)), (r, d) -> closed[0] = r);
            return null;
        });

        // when: a serves b and b acknowledges it
        SignedEvent proposal = a.append(FeedBuilder.proposal(b.self(), 1_000)).join();
        SignedEvent ack = b.append(FeedBuilder.ack(proposal)).join();

        // then: each holds the other's half, the other is in its scope, and b's directory lists a's model
        await(() -> b.head(a.self()).map(h -> h.seq() >= proposal.seq()).orElse(false)
                && a.head(b.self()).map(h -> h.seq() >= ack.seq()).orElse(false));
        await(() -> !atB.servers("rare-model", System.currentTimeMillis()).isEmpty());
        assertThat(on(() -> peerB.scope().contains(a.self()) && peerA.scope().contains(b.self()))).isTrue();
        assertThat(closed[0]).isNull();

        // and a closed end tells the protocols: nothing more is delivered to it
        on(() -> {
            ends[0].close();
            return null;
        });
        assertThat(ends[0].isClosed()).isTrue();
        assertThat(closed[0]).isEqualTo(WireMessage.Reason.UNSPECIFIED);
    }

    private SimulatedPeer peer(LedgerStore store, PeerConfig config, ModelDirectory directory) throws Exception {
        SimulatedPeer peer = on(() -> new SimulatedPeer(context, store, config, directory, System::currentTimeMillis,
                org.council.ledger.codec.EventCodec::decode));
        CompletableFuture<Void> started = new CompletableFuture<>();
        context.runOnContext(v -> peer.start().onComplete(ar -> started.complete(null)));
        started.get(10, TimeUnit.SECONDS);
        store.onCommitted(events -> context.runOnContext(v -> peer.committed(events)));
        return peer;
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
