package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Remote inference's bookkeeping is confined to the peer context, and says so when called elsewhere. */
class ConfinementTest {

    private static Vertx vertx;
    private final NodeKeyPair self = NodeKeyPair.generate();
    private final NodeKeyPair peer = NodeKeyPair.generate();
    private Context peerContext;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @BeforeEach
    void assertionsOn() {
        boolean enabled = false;
        assert enabled = true;
        assumeTrue(enabled, "run with -ea (surefire and failsafe enable assertions by default)");
        peerContext = vertx.getOrCreateContext();
    }

    @Test
    void serverEntryPointsCalledOffThePeerContextFail() throws Exception {
        RemoteInferenceServer server = new RemoteInferenceServer(self.id(), null, null, new ModelCatalog(), peerContext,
                System::currentTimeMillis, Duration.ofSeconds(60));

        assertThatThrownBy(() -> server.onClosed(peer.id())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("off the peer context");
        assertThatThrownBy(() -> server.onCancel(null, new byte[16])).isInstanceOf(AssertionError.class);
        assertThat(onContext(() -> server.onClosed(peer.id()))).isNull();
    }

    @Test
    void clientCallbacksCalledOffThePeerContextFail() throws Exception {
        RemoteInferenceClient client = new RemoteInferenceClient(self, null, peerContext, id -> Optional.empty(),
                System::currentTimeMillis);

        assertThatThrownBy(() -> client.onClosed(peer.id())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("off the peer context");
        assertThat(onContext(() -> client.onClosed(peer.id()))).isNull();
    }

    /** Runs {@code r} on the peer context; what it threw, or null. */
    private Throwable onContext(Runnable r) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        peerContext.runOnContext(v -> {
            try {
                r.run();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        return thrown.get(10, TimeUnit.SECONDS);
    }
}
