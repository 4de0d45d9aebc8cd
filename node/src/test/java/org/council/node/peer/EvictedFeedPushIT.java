package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
            // x2's refusal is decided in the same task that counts it (a pong would not order it: pings are
            // answered when read, while up to 8 ingests are still in flight)
            TestCluster.awaitTrue(() -> seqGapRejects(node) == 1 || relay.isClosed(), WAIT,
                    () -> "x2 not refused as a gap");

            assertThat(relay.received).as("what the node sent the relay")
                    .noneMatch(m -> m instanceof WireMessage.Goodbye);
            assertThat(relay.isClosed()).isFalse();
            assertThat(node.peers().isBanned(relay.keys.id())).isFalse();
            assertThat(node.store().head(x.id())).isEmpty();
        } finally {
            TestCluster.await(vertx.close());
        }
    }

    private static long seqGapRejects(Node node) {
        String root = node.apiUrl().substring(0, node.apiUrl().length() - "/api/v1".length());
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(root + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^council_ledger_rejects_total\\{reason=\"SEQ_GAP\"} (\\S+)$").matcher(text);
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
