package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.scope.ScopeConfig;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.routing.NetworkChat;
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

            // when: the requester's user asks for it
            InferenceResult result = TestCluster.await(chat.submit(InferenceRequest.chat(RequesterId.of("user"),
                    "simulated-qwen-7b", List.of(ChatMessage.user("Why?"))), TokenSink.NONE).result());

            // then: the requester dialled the server and the server answered
            assertThat(result.backend()).isEqualTo("peer " + server.id().shortHex());
            assertThat(requester.peers().connectedPeers()).containsKey(server.id());
        }
    }
}
