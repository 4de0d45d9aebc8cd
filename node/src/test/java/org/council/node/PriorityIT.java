package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.Job;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.node.inference.RemoteReply;
import org.council.node.peer.PeerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One serving node with one GPU slot, overloaded by two requesters at once: the one that earned
 * karma there (it served the node before) is served first, and the other is still served.
 */
class PriorityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static NodeConfig config(Path dir, List<String> seeds, String model, int completionTokens) {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(400, Duration.ofMillis(5)).withCompletionTokens(completionTokens).withMaxConcurrency(1);
        return NodeConfig.local(dir).withPeers(PeerConfig.localDefaults().withSeeds(seeds))
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim));
    }

    @Test
    void theRequesterWithKarmaIsServedFirstAndTheOtherStillServed() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.add(Node.start(config(dir.resolve("server"), List.of(), "llama-8b", 20_000)));
            String seed = server.id().hex() + "@" + server.address();
            Node earned = cluster.add(Node.start(config(dir.resolve("earned"), List.of(seed), "qwen-7b", 16)));
            Node stranger = cluster.add(Node.start(config(dir.resolve("stranger"), List.of(seed), "phi-3b", 16)));
            TestCluster.awaitTrue(() -> server.peers().connectedPeers().size() == 2, WAIT, () -> "not connected");

            // "earned" served the server before: acknowledged receipts give it karma there
            for (int i = 0; i < 3; i++) {
                RemoteReply r = TestCluster.await(server.inference().client().infer(earned.id(), "simulated-qwen-7b",
                        List.of(ChatMessage.user("help " + i)), 0, "chat", WAIT, TokenSink.NONE));
                assertThat(r.acknowledged()).isTrue();
            }
            TestCluster.awaitTrue(() -> server.karma().karma(earned.id()) > 0, WAIT, () -> "no karma earned");
            assertThat(server.karma().karma(stranger.id())).isZero();

            // the server's own user holds the single slot (20,000 tokens, 50 s) while both flood it, so the
            // order is the queue's and not the order in which the two nodes' requests happen to arrive
            Job blocker = server.bridge().submit(InferenceRequest.chat(RequesterId.LOCAL, "simulated-llama-8b",
                    List.of(ChatMessage.user("hold the slot"))), TokenSink.NONE);
            TestCluster.awaitTrue(() -> server.bridge().queueState().running() == 1, WAIT, () -> "the blocker did not start");
            long t0 = System.nanoTime();
            List<Future<Long>> earnedJobs = new ArrayList<>();
            List<Future<Long>> strangerJobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                strangerJobs.add(timed(stranger, server, t0, i));
                earnedJobs.add(timed(earned, server, t0, i));
            }
            TestCluster.awaitTrue(() -> server.bridge().queueState().waiting() == 12, WAIT,
                    () -> "not all queued: " + server.bridge().queueState());
            assertThat(blocker.cancel()).as("the blocker still held the slot when all 12 were queued").isTrue();
            List<Long> earnedWaits = awaitAll(earnedJobs);
            List<Long> strangerWaits = awaitAll(strangerJobs);

            assertThat(strangerWaits).as("the stranger is still served").hasSize(6);
            assertThat(median(earnedWaits)).as("earned %s vs stranger %s (ms)", earnedWaits, strangerWaits)
                    .isLessThan(median(strangerWaits));
        }
    }

    private static Future<Long> timed(Node requester, Node server, long t0, int i) {
        return requester.inference().client().infer(server.id(), "simulated-llama-8b",
                        List.of(ChatMessage.user("job " + i)), 16, "chat", WAIT, TokenSink.NONE)
                .map(r -> (System.nanoTime() - t0) / 1_000_000);
    }

    private static List<Long> awaitAll(List<Future<Long>> jobs) {
        List<Long> out = new ArrayList<>();
        for (Future<Long> f : jobs) {
            out.add(TestCluster.await(f));
        }
        Collections.sort(out);
        return out;
    }

    private static long median(List<Long> sorted) {
        return sorted.get(sorted.size() / 2);
    }
}
