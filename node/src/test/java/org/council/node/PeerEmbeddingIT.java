package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.council.api.ChatGateway;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.UnsupportedFeatureException;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.peer.PeerConfig;
import org.council.node.routing.NetworkChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embeddings of a peer's model over real TLS sessions: node A, which has no backend at all, asks
 * for embeddings of a model only node B serves (simulated); A gets B's deterministic vectors, and
 * every embedding job leaves a settled receipt pair priced by {@link Credits#embeddingMilli}, in
 * both nodes' ledgers and balances. A batch larger than one job's goes out as several jobs.
 */
class PeerEmbeddingIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MODEL = "simulated-qwen-7b";

    @TempDir
    Path dir;

    @Test
    void aNodeWithoutABackendEmbedsWithAPeersModelAndPaysPerTheFormula() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node b = cluster.add(Node.start(NodeConfig.local(dir.resolve("b"))
                    .withInference(InferenceConfig.simulatedOnly().withSimulated(SimulatedConfig.defaults()
                            .withModels(List.of(MODEL))))));
            Node a = cluster.add(Node.start(NodeConfig.local(dir.resolve("a"))
                    .withPeers(PeerConfig.localDefaults().withSeeds(List.of(b.id().hex() + "@" + b.address())))
                    .withInference(new InferenceConfig(List.of(), null, SchedulerConfig.defaults(), List.of()))));
            CouncilIT.awaitAllKnowAll(List.of(a, b));
            TestCluster.awaitTrue(() -> a.capabilities().of(b.id()) != null && a.capabilities().of(b.id()).models()
                    .stream().anyMatch(o -> o.name().equals(MODEL) && o.capabilities().contains("embedding")), WAIT,
                    () -> "B's offer of " + MODEL + " with embedding never reached A");
            NetworkChat chat = new NetworkChat(a.bridge(), a.catalog(), a.capabilities(), a.peers(), a.karma(),
                    a.inference().client(), a.council());
            List<String> texts = List.of("the quick brown fox jumps over the lazy dog", "a fair share for everyone");

            InferenceResult remote = TestCluster.await(chat.submit(embed(MODEL, texts), TokenSink.NONE).result());

            assertThat(remote.backend()).isEqualTo("peer " + b.id().shortHex());
            assertFloat32Of(remote.embeddings(), TestCluster.await(b.bridge().submit(embed(MODEL, texts),
                    TokenSink.NONE).result()).embeddings());
            SignedEvent proposal = awaitClaims(a, b, 1).get(0);
            EventBody.ServiceProposed claim = (EventBody.ServiceProposed) proposal.body();
            assertThat(claim.stage()).isEqualTo("embed");
            assertThat(claim.completionTokens()).isZero();
            assertThat(claim.promptTokens()).as("the simulated backend counts words").isEqualTo(14)
                    .isEqualTo(remote.usage().promptTokens());
            assertThat(claim.parametersMillions()).isEqualTo(b.catalog().parametersMillions(MODEL)).isPositive();
            long credits = Credits.embeddingMilli(claim.parametersMillions(), claim.promptTokens());
            assertThat(claim.creditsMilli()).isEqualTo(credits).isPositive();

            // 70 inputs: a first job of 15 (sized for the largest dimension a peer may return), then,
            // the dimension known (384), one of the remaining 55; each with its receipt, vectors in order
            List<String> many = IntStream.range(0, 70).mapToObj(i -> "text number " + i).toList();
            InferenceResult batched = TestCluster.await(chat.submit(embed(MODEL, many), TokenSink.NONE).result());
            assertFloat32Of(batched.embeddings(), TestCluster.await(b.bridge().submit(embed(MODEL, many),
                    TokenSink.NONE).result()).embeddings());
            List<SignedEvent> claims = awaitClaims(a, b, 3);
            long paid = claims.stream().mapToLong(p -> ((EventBody.ServiceProposed) p.body()).creditsMilli()).sum();
            assertThat(paid).isEqualTo(credits + Credits.embeddingMilli(claim.parametersMillions(), 15 * 3)
                    + Credits.embeddingMilli(claim.parametersMillions(), 55 * 3));

            cluster.awaitConverged(WAIT);
            for (Node n : List.of(a, b)) {
                TestCluster.awaitTrue(() -> n.store().account(b.id()).earnedMilli() == paid
                        && n.store().account(a.id()).spentMilli() == paid, WAIT, () -> "balances at " + n.id().shortHex()
                        + ": earned " + n.store().account(b.id()).earnedMilli() + ", spent "
                        + n.store().account(a.id()).spentMilli() + ", expected " + paid);
            }
        }
    }

    @Test
    void theCouncilComputesNoEmbeddings() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", List.of());
            NetworkChat chat = new NetworkChat(a.bridge(), a.catalog(), a.capabilities(), a.peers(), a.karma(),
                    a.inference().client(), a.council());
            Throwable refused = chat.submit(embed(ChatGateway.COUNCIL_MODEL, List.of("x")), TokenSink.NONE).result()
                    .cause();
            assertThat(refused).isInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("embeddings are not served by the council model");
        }
    }

    private static InferenceRequest embed(String model, List<String> input) {
        return InferenceRequest.embed(RequesterId.LOCAL, model, input, Map.of());
    }

    /** {@code got} is {@code expected} as float32: what travels on the wire. */
    private static void assertFloat32Of(List<double[]> got, List<double[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            double[] e = expected.get(i);
            double[] f = new double[e.length];
            for (int j = 0; j < e.length; j++) {
                f[j] = (float) e[j];
            }
            assertThat(got.get(i)).as("vector %d", i).hasSize(384).containsExactly(f);
        }
    }

    /** B's embedding claims held by A, once there are {@code n} and A acknowledged each. */
    private static List<SignedEvent> awaitClaims(Node a, Node b, int n) {
        List<SignedEvent> out = new ArrayList<>();
        TestCluster.awaitTrue(() -> {
            out.clear();
            try (Stream<SignedEvent> feed = a.store().feed(b.id(), 1, 10_000)) {
                feed.filter(e -> e.body() instanceof EventBody.ServiceProposed p && p.model().equals(MODEL)
                        && p.requester().equals(a.id())).forEach(out::add);
            }
            return out.size() == n && out.stream().allMatch(p -> CouncilIT.hasAck(a, a.id(), p));
        }, WAIT, () -> "expected " + n + " acknowledged claims, got " + out);
        return List.copyOf(out);
    }
}
