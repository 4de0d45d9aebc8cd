package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.council.ledger.scope.ScopeConfig;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.routing.NetworkChat;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models stay discoverable beyond the replication scope, over the real TLS transport on loopback:
 * a server and a requester that both know only a middle node (scope on everywhere, one hop), so
 * the requester holds nothing of the server's feed; the server's signed announcement reaches it
 * through the middle node's capabilities gossip.
 */
class CapabilityGossipIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** Scoped, one hop; dials its seeds and learned addresses (two outbound slots), shares none it did not dial. */
    private static PeerConfig scoped(List<Node> seeds) {
        return PeerConfig.localDefaults()
                .withSeeds(seeds.stream().map(n -> n.id().hex() + "@" + n.address()).toList())
                .withConnections(6, 2)
                .withReplication(PeerConfig.Replication.scoped(new ScopeConfig(1, 100), Set.of()));
    }

    private Node start(TestCluster cluster, String name, String model, List<Node> seeds) {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(2_000, Duration.ofMillis(5)).withCompletionTokens(16);
        return cluster.add(Node.start(NodeConfig.local(dir.resolve(name)).withPeers(scoped(seeds))
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim))));
    }

    @Test
    void aModelServedOutsideTheScopeIsListedAndServedAfterADial() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node middle = start(cluster, "middle", "llama-3b", List.of());
            Node server = start(cluster, "server", "qwen-7b", List.of(middle));
            Node requester = start(cluster, "requester", "llama-3b", List.of(middle));
            TestCluster.awaitTrue(() -> requester.peers().models().servers("simulated-qwen-7b",
                    System.currentTimeMillis()).size() == 1, WAIT, () -> "the server's announcement never reached the requester");

            // the requester holds nothing of the server: not connected, no receipt, beyond its scope
            assertThat(requester.peers().connectedPeers()).doesNotContainKey(server.id());
            assertThat(requester.store().head(server.id())).isEmpty();
            assertThat(requester.capabilities().of(server.id())).isNull();

            // /api/tags (NetworkChat.models) lists it as network-known
            NetworkChat chat = new NetworkChat(requester.bridge(), requester.catalog(), requester.capabilities(),
                    requester.peers(), requester.karma(), requester.inference().client(), requester.council());
            List<ModelInfo> tags = TestCluster.await(chat.models());
            assertThat(tags).filteredOn(m -> m.name().equals("simulated-qwen-7b")).singleElement()
                    .satisfies(m -> assertThat(m.backend()).startsWith("network"));
            // every chat resolves its model without building the list, to what the list says
            for (ModelInfo m : tags) {
                assertThat(TestCluster.await(chat.model(m.name()))).as(m.name()).contains(m);
                assertThat(TestCluster.await(chat.model(m.name() + ":latest"))).as(m.name() + ":latest").contains(m);
            }

            // when: the requester's user asks for it
            InferenceResult result = TestCluster.await(chat.submit(InferenceRequest.chat(RequesterId.of("user"),
                    "simulated-qwen-7b", List.of(ChatMessage.user("Why?"))), TokenSink.NONE).result());

            // then: the requester dialled the server and the server answered
            assertThat(result.backend()).isEqualTo("peer " + server.id().shortHex());
            assertThat(requester.peers().connectedPeers()).containsKey(server.id());
        }
    }

    @Test
    void aModelWhoseKnownServersAreAllGoneFailsClearly() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node middle = start(cluster, "middle", "llama-3b", List.of());
            Node server = start(cluster, "server", "qwen-7b", List.of(middle));
            Node requester = start(cluster, "requester", "llama-3b", List.of(middle));
            TestCluster.awaitTrue(() -> requester.peers().models().servers("simulated-qwen-7b",
                    System.currentTimeMillis()).size() == 1, WAIT, () -> "the server's announcement never reached the requester");
            cluster.stop(server);

            NetworkChat chat = new NetworkChat(requester.bridge(), requester.catalog(), requester.capabilities(),
                    requester.peers(), requester.karma(), requester.inference().client(), requester.council());
            var result = chat.submit(InferenceRequest.chat(RequesterId.of("user"), "simulated-qwen-7b",
                    List.of(ChatMessage.user("Why?"))), TokenSink.NONE).result();
            TestCluster.awaitTrue(result::isComplete, WAIT, () -> "the request never ended");
            assertThat(result.failed()).isTrue();
            assertThat(result.cause()).isInstanceOfSatisfying(BridgeException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNREACHABLE);
                assertThat(e.getMessage()).contains("model 'simulated-qwen-7b' is served by 1 known nodes, none reachable yet");
            });
        }
    }

    @Test
    void aPeerFloodingAnnouncementsIsBannedAndTheDirectoryStaysBounded() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node target = start(cluster, "target", "llama-3b", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                // a forger: announcements of other keys with no valid signature, past the budget
                NodeKeyPair forgerKeys = NodeKeyPair.generate();
                RawPeer forger = connect(vertx, target, forgerKeys);
                List<byte[]> forged = new ArrayList<>();
                for (int i = 0; i < 4 * CapabilityGossip.BAD_BURST; i++) {
                    SignedEvent e = announcement(FeedBuilder.random(), "forged-" + i);
                    forged.add(EventCodec.encodeEnvelope(e.payload(), new byte[64]));
                }
                forger.send(new WireMessage.CapabilityList(forged));
                TestCluster.awaitTrue(forger::isClosed, WAIT, () -> "the forger was not disconnected");
                assertThat(forger.goodbye().reason()).isEqualTo(WireMessage.Reason.FLOODING);
                TestCluster.awaitTrue(() -> target.peers().isBanned(forgerKeys.id()), WAIT, () -> "forger not banned");

                // a Sybil: validly signed fresh announcements of minted keys, more than a peer may send
                NodeKeyPair sybilKeys = NodeKeyPair.generate();
                RawPeer sybil = connect(vertx, target, sybilKeys);
                int frames = CapabilityGossip.RECEIVE_BURST / CapabilityGossip.MAX_PER_FRAME + 2;
                for (int f = 0; f < frames; f++) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int i = 0; i < CapabilityGossip.MAX_PER_FRAME; i++) {
                        batch.add(announcement(FeedBuilder.random(), "sybil").envelope());
                    }
                    sybil.send(new WireMessage.CapabilityList(batch));
                }
                TestCluster.awaitTrue(sybil::isClosed, WAIT, () -> "the flooder was not disconnected");
                assertThat(sybil.goodbye().reason()).isEqualTo(WireMessage.Reason.FLOODING);
                TestCluster.awaitTrue(() -> target.peers().isBanned(sybilKeys.id()), WAIT, () -> "flooder not banned");

                // bounded: nothing forged entered, and at most the per-model cap of the Sybil's model
                ModelDirectory d = target.peers().models();
                assertThat(d.servers("forged-0", System.currentTimeMillis())).isEmpty();
                assertThat(d.servers("sybil", System.currentTimeMillis()).size())
                        .isLessThanOrEqualTo(d.limits().maxPerModel());
                assertThat(d.size()).isLessThanOrEqualTo(d.limits().maxPerModel() + 1); // + the target's own
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    private static SignedEvent announcement(FeedBuilder feed, String model) {
        return feed.sign(1, null, System.currentTimeMillis(), new EventBody.CapabilitiesAnnounced(
                List.of(new EventBody.ModelOffer(model, 8_000, "Q4_K_M", 8192)), "", 1, "127.0.0.1:7000"));
    }

    private static RawPeer connect(Vertx vertx, Node node, NodeKeyPair keys) {
        RawPeer p = TestCluster.await(new RawPeer(keys).connect(vertx, node.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", keys.id(), 0, "test"));
        TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks) || p.isClosed(),
                WAIT, () -> "no clocks");
        p.send(new WireMessage.Clocks(List.of(), true));
        TestCluster.awaitTrue(() -> node.peers().link(keys.id()).isPresent(), WAIT, () -> "no session");
        return p;
    }
}
