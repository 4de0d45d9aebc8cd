package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Context-confined parts of the peer layer assert their context at the entry points (tests run with -ea). */
class ConfinementTest {

    @TempDir
    Path dir;

    private Vertx vertx;
    private Context context;
    private final NodeId self = NodeKeyPair.generate().id();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void assertionsAreEnabled() {
        boolean enabled = false;
        assert enabled = true;
        assertThat(enabled).as("tests must run with -ea").isTrue();
    }

    @Test
    void theAddressBookAssertsItsContext() throws Exception {
        AddressBook book = new AddressBook(context, true);
        List<WireMessage.PeerAddress> one = List.of(new WireMessage.PeerAddress(NodeKeyPair.generate().id(), "192.0.2.1", 1));
        assertThatThrownBy(() -> book.learn(one, "192.0.2.9", false)).isInstanceOf(AssertionError.class).hasMessageContaining("confined");
        assertThatThrownBy(book::size).isInstanceOf(AssertionError.class);
        CompletableFuture<Integer> onContext = new CompletableFuture<>();
        context.runOnContext(v -> {
            book.learn(one, "192.0.2.9", false);
            onContext.complete(book.size());
        });
        assertThat(onContext.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void theSessionRegistryAssertsItsContextButItsViewIsForAnyThread() {
        SessionRegistry registry = new SessionRegistry(context, self);
        assertThatThrownBy(registry::size).isInstanceOf(AssertionError.class);
        assertThatThrownBy(registry::all).isInstanceOf(AssertionError.class);
        assertThat(registry.connectedPeers()).isEmpty();
    }

    @Test
    void thePeerManagersViewsAreForAnyThreadAndItsPartsAssertTheirContext() throws Exception {
        NodeKeyPair keys = NodeKeyPair.generate();
        LedgerStore store = RocksLedgerStore.open(dir, keys, LedgerConfig.defaults());
        try {
            PeerManager peers = new PeerManager(NodeCertificate.create(keys), store, PeerConfig.localDefaults());
            vertx.deployVerticle(peers).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            NodeId other = NodeKeyPair.generate().id();
            // the views are for any thread
            assertThat(peers.link(other)).isEmpty();
            assertThat(peers.connectedPeers()).isEmpty();
            assertThat(peers.misbehaviourCounts()).isEmpty();
            // its parts are confined to the peer context
            SessionRegistry onTheirContext = new SessionRegistry(peers.peerContext(), keys.id());
            assertThatThrownBy(onTheirContext::all).isInstanceOf(AssertionError.class);
            CompletableFuture<Integer> onContext = new CompletableFuture<>();
            peers.peerContext().runOnContext(v -> onContext.complete(onTheirContext.all().size()));
            assertThat(onContext.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            store.close();
        }
    }
}
