package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.store.Account;
import org.council.node.peer.PeerConfig;
import org.council.node.peer.Reachability;
import org.council.node.peer.RelayStatus;
import org.council.node.routing.NetworkChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relayed circuit on loopback. The hidden node listens on 127.0.0.2 but dials out from 127.0.0.1,
 * so dial-backs find nothing at its observed address: it learns PRIVATE, reserves on the relay,
 * and the relay announces it. The third node, not dialable the same way, reaches it only through a
 * circuit, runs a remote
 * inference on the model only the hidden node serves, and both halves of the receipt reach both
 * parties, while every byte the relay forwarded is free of the prompt.
 */
class RelayIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private static Node start(TestCluster cluster, Path dir, String name, PeerConfig peers, String model) {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(2_000, Duration.ofMillis(5)).withCompletionTokens(24);
        return cluster.add(Node.start(NodeConfig.local(dir.resolve(name)).withPeers(peers)
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim))));
    }

    @Test
    void aNodeBehindARelayServesThroughACircuitAndTheRelaySeesNoPlaintext() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            PeerConfig d = PeerConfig.localDefaults();
            Node relay = start(cluster, dir, "relay", d, "llama-3b");
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            relay.peers().tapRelayedBytes(seen::writeBytes);
            String seed = relay.id().hex() + "@" + relay.address();
            Node hidden = start(cluster, dir, "hidden", new PeerConfig(d.networkId(), "127.0.0.2", 0, List.of(seed),
                    d.maxConnections(), d.targetConnections(), d.banDuration(), d.duplicateBudget(),
                    d.duplicateRefillPerSecond(), d.lan(), d.admission(), d.anchorsFile(), d.limits()), "qwen-7b");
            TestCluster.awaitTrue(() -> hidden.peers().reachability().status() == Reachability.Status.PRIVATE
                            && hidden.peers().relayStatus().reservationsHeld() == 1, WAIT,
                    () -> "hidden " + hidden.peers().reachability() + " " + hidden.peers().relayStatus());
            // listening on 127.0.0.3 and dialling from 127.0.0.1, the asker is not dialable either: like
            // two homes behind two NATs, neither can dial the other, so the circuit is their only way
            Node asker = start(cluster, dir, "asker", new PeerConfig(d.networkId(), "127.0.0.3", 0, List.of(seed),
                    d.maxConnections(), d.targetConnections(), d.banDuration(), d.duplicateBudget(),
                    d.duplicateRefillPerSecond(), d.lan(), d.admission(), d.anchorsFile(), d.limits()), "llama-3b");

            TestCluster.awaitTrue(() -> TestCluster.await(asker.peers().relayedPeers()).contains(hidden.id())
                            && asker.capabilities().of(hidden.id()) != null, WAIT,
                    () -> "no circuit to the hidden node: " + asker.peers().connectedPeers() + " relay "
                            + relay.peers().relayStatus());
            assertThat(TestCluster.await(hidden.peers().relayedPeers())).contains(asker.id());

            String secret = "relay-must-not-read-" + UUID.randomUUID();
            NetworkChat chat = new NetworkChat(asker.bridge(), asker.catalog(), asker.capabilities(), asker.peers(),
                    asker.karma(), asker.inference().client(), asker.council());
            InferenceResult r = TestCluster.await(chat.submit(InferenceRequest.chat(RequesterId.of("someone"),
                    "simulated-qwen-7b", List.of(ChatMessage.user("Tell me " + secret))), TokenSink.NONE).result());
            assertThat(r.text()).isNotBlank();

            // both halves of the receipt at both parties: the server's earnings count only when settled
            TestCluster.awaitTrue(() -> settled(asker, hidden) && settled(hidden, hidden), WAIT,
                    () -> "receipt not settled: asker " + asker.store().account(hidden.id()) + ", hidden "
                            + hidden.store().account(hidden.id()));

            RelayStatus s = relay.peers().relayStatus();
            assertThat(s.reservationsServed()).as("both the hidden node and the asker").isEqualTo(2);
            assertThat(s.circuitsOpened()).isPositive();
            byte[] bytes = relayed(relay, seen);
            assertThat(bytes.length).as("the relay forwarded the circuit").isPositive();
            assertThat(s.bytesRelayed()).isPositive();
            String asText = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(asText).as("the relay saw only ciphertext").doesNotContain(secret).doesNotContain("Tell me");

            JsonNode hiddenNet = get(hidden.apiUrl() + "/node").get("network");
            assertThat(hiddenNet.get("reachability").asText()).isEqualTo("PRIVATE");
            assertThat(hiddenNet.get("relays_held").asInt()).isEqualTo(1);
            JsonNode relayNet = get(relay.apiUrl() + "/node").get("network");
            assertThat(relayNet.get("reservations_served").asInt()).isEqualTo(2);
            assertThat(relayNet.get("bytes_relayed").asLong()).isPositive();
            System.out.printf("[relay] %s; %d bytes through the relay%n", s, bytes.length);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private static boolean settled(Node at, Node server) {
        Account a = at.store().account(server.id());
        return a != null && a.servedJobs() >= 1 && a.earnedMilli() > 0;
    }

    /** What the tap collected, read on the peer context where it writes. */
    private static byte[] relayed(Node relay, ByteArrayOutputStream seen) {
        io.vertx.core.Promise<byte[]> p = io.vertx.core.Promise.promise();
        relay.peers().peerContext().runOnContext(v -> p.complete(seen.toByteArray()));
        return TestCluster.await(p.future());
    }
}
