package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A relay (or a stranger posing as one) cannot make this node remember unboundedly many targets. */
class RelayClientTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void announcementsBeyondTheTargetCapAreIgnoredUntilSomeGo() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        NodeId self = NodeKeyPair.generate().id();
        RelayClient client = new RelayClient(ctx, self, RelayConfig.defaults(), new Reachability(null),
                new SessionRegistry(ctx, self), new PeerAdmission(Duration.ofMinutes(1)), 8);
        FakeChannel flooder = new FakeChannel(NodeKeyPair.generate().id(), ctx);
        FakeChannel honest = new FakeChannel(NodeKeyPair.generate().id(), ctx);
        CompletableFuture<int[]> counts = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            for (int i = 0; i < 10 * RelayClient.MAX_KNOWN; i++) {
                client.learned(flooder, NodeKeyPair.generate().id());
            }
            int flooded = client.knownTargets();
            client.learned(honest, NodeKeyPair.generate().id());
            int withHonest = client.knownTargets();
            client.sessionClosed(flooder); // the flooder's announcements go with its session
            client.learned(honest, NodeKeyPair.generate().id());
            counts.complete(new int[] {flooded, withHonest, client.knownTargets()});
        });
        int[] c = counts.get();
        assertThat(c[0]).isEqualTo(RelayClient.MAX_KNOWN);
        assertThat(c[1]).as("full: a new announcement is ignored").isEqualTo(RelayClient.MAX_KNOWN);
        assertThat(c[2]).as("room again once the flooder's session closed").isEqualTo(1);
    }
}
