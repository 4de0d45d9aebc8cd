package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.node.TestCluster;
import org.council.node.wire.WireMessage;
import org.council.node.wire.CircuitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The target end of circuits, against a fake relay session: a circuit is taken only from a relay
 * this node reserved on, and a relay (or whoever dials through it) gets at most
 * {@link CircuitEnds#MAX_ENDS} circuit ends open on this node at once.
 */
class CircuitEndsTest {

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();

    @AfterEach
    void tearDown() {
        TestCluster.await(vertx.close());
    }

    private CircuitEnds ends(int port, boolean reserved) {
        return new CircuitEnds(context, vertx, (h, p) -> Future.failedFuture("no TLS here"), "127.0.0.1", () -> port,
                relay -> reserved);
    }

    private void onContext(Runnable r) {
        context.runOnContext(v -> r.run());
    }

    @Test
    void aCircuitFromARelayThisNodeDidNotReserveOnIsRefused() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"))) {
            CircuitEnds ends = ends(listener.getLocalPort(), false);
            FakeChannel relay = new FakeChannel(NodeKeyPair.generate().id(), context);
            onContext(() -> ends.incoming(relay, new WireMessage.CircuitConnect(1, NodeKeyPair.generate().id(), true)));
            TestCluster.awaitTrue(() -> !relay.sent.isEmpty(), Duration.ofSeconds(30), () -> "no answer");
            assertThat(((WireMessage.CircuitStatus) relay.sent.get(0)).status()).isEqualTo(CircuitState.REFUSED);
        }
    }

    @Test
    void aFloodOfCircuitsGetsNoMoreEndsThanTheCap() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"))) {
            CircuitEnds ends = ends(listener.getLocalPort(), true);
            FakeChannel relay = new FakeChannel(NodeKeyPair.generate().id(), context);
            int asked = CircuitEnds.MAX_ENDS + 8;
            onContext(() -> {
                for (int i = 0; i < asked; i++) {
                    ends.incoming(relay, new WireMessage.CircuitConnect(i, NodeKeyPair.generate().id(), true));
                }
            });
            TestCluster.awaitTrue(() -> relay.sent.size() == asked, Duration.ofSeconds(60),
                    () -> "answers: " + relay.sent.size());
            List<CircuitState> states = relay.sent.stream().map(m -> ((WireMessage.CircuitStatus) m).status()).toList();
            assertThat(states).filteredOn(s -> s == CircuitState.OPENED).hasSize(CircuitEnds.MAX_ENDS);
            assertThat(states).filteredOn(s -> s == CircuitState.LIMIT).hasSize(8);
        }
    }
}
