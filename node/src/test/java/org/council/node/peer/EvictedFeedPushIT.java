package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.ApiConfig;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that relays the next event of a feed the node held, after the node evicted that feed at
 * its feed cap, sends a gap the peer could not know of (the node's clocks said it held the feed):
 * the event is refused, and the peer is neither banned nor disconnected for it.
 */
class EvictedFeedPushIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theNextEventOfAnEvictedFeedIsRefusedWithoutBlamingThePeer() {
        Vertx vertx = Vertx.vertx();
        try (TestCluster cluster = new TestCluster(dir)) {
            // room for the own feed and one other
            Node node = cluster.add(Node.start(new NodeConfig(dir.resolve("node"), PeerConfig.localDefaults(),
                    LedgerConfig.defaults().withMaxFeeds(2), InferenceConfig.simulatedOnly(), ApiConfig.local())));
            TestCluster.awaitTrue(() -> node.store().head(node.id()).isPresent(), WAIT, () -> "no own feed");
            FloodPeer relay = TestCluster.await(new FloodPeer(NodeKeyPair.generate()).connect(vertx,
                    node.peers().listenPort())).ready(WAIT);
            FeedBuilder x = FeedBuilder.random();
            FeedBuilder y = FeedBuilder.random();
            FeedBuilder z = FeedBuilder.random();

            relay.send(new WireMessage.EventBatch(x.id(), List.of(x.next(FeedBuilder.capabilities("x")).envelope())));
            TestCluster.awaitTrue(() -> node.store().head(x.id()).isPresent(), WAIT, () -> "x not taken");
            relay.send(new WireMessage.EventBatch(y.id(), List.of(y.next(FeedBuilder.capabilities("y")).envelope())));
            TestCluster.awaitTrue(() -> node.store().head(y.id()).isPresent(), WAIT, () -> "y not taken");
            assertThat(node.store().head(x.id())).as("x evicted for y").isEmpty();

            // the relay goes on with x as any peer that saw the node take x's first event would
            relay.send(new WireMessage.EventBatch(x.id(), List.of(x.next(FeedBuilder.capabilities("x2")).envelope())));
            relay.send(new WireMessage.EventBatch(z.id(), List.of(z.next(FeedBuilder.capabilities("z")).envelope())));
            TestCluster.awaitTrue(() -> node.store().head(z.id()).isPresent() || relay.isClosed(), WAIT,
                    () -> "z not taken");
            relay.send(new WireMessage.Ping(7));
            TestCluster.awaitTrue(() -> relay.received.stream().anyMatch(m -> m instanceof WireMessage.Pong)
                    || relay.isClosed(), WAIT, () -> "no pong");

            assertThat(relay.received).as("what the node sent the relay")
                    .noneMatch(m -> m instanceof WireMessage.Goodbye);
            assertThat(relay.isClosed()).isFalse();
            assertThat(node.peers().isBanned(relay.keys.id())).isFalse();
            assertThat(node.store().head(x.id())).isEmpty();
        } finally {
            TestCluster.await(vertx.close());
        }
    }
}
