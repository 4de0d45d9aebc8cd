package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay (or a stranger posing as one) cannot make this node remember unboundedly many targets,
 * and peers with relaying off cannot keep a node behind a NAT from reserving on a relay.
 */
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

    @Test
    void peersThatRefuseAReservationDoNotKeepTheRelayBehindThemFromBeingAsked() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        NodeId self = NodeKeyPair.generate().id();
        RelayConfig config = RelayConfig.defaults();
        AtomicLong clock = new AtomicLong();
        RelayClient client = new RelayClient(ctx, self, config, new Reachability(null),
                new SessionRegistry(ctx, self), new PeerAdmission(Duration.ofMinutes(1)), 8, clock::get);
        List<FakeChannel> relayingOff = new ArrayList<>();
        for (int i = 0; i < config.reservationsWanted(); i++) {
            relayingOff.add(new FakeChannel(NodeKeyPair.generate().id(), ctx));
        }
        FakeChannel relay = new FakeChannel(NodeKeyPair.generate().id(), ctx);
        List<FakeChannel> dialled = new ArrayList<>(relayingOff);
        dialled.add(relay); // last: the peers before it fill every ask
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            client.askReservations(dialled);
            for (FakeChannel off : relayingOff) {
                client.reservation(off, new WireMessage.RelayReservation(false, 0, 0, 0, "relaying is off on this node"));
            }
            clock.set(1_000);
            client.askReservations(dialled); // the next tick
            client.reservation(relay, new WireMessage.RelayReservation(true, 4, 1 << 20, 60, ""));
            clock.set(RelayClient.ASK_AGAIN_MS + 2_000);
            client.askReservations(dialled); // the refusals expired
            done.complete(null);
        });
        done.get();
        assertThat(asks(relay)).as("the relay is asked once the others refused").isEqualTo(1);
        assertThat(client.holds(relay.remote())).isTrue();
        // asked first; after the pause, one is asked again for the reservation still wanted
        assertThat(relayingOff.stream().mapToLong(RelayClientTest::asks).sum())
                .isEqualTo(relayingOff.size() + config.reservationsWanted() - 1L);
    }

    private static long asks(FakeChannel c) {
        return c.sent.stream().filter(m -> m instanceof WireMessage.RelayReserve).count();
    }
}
