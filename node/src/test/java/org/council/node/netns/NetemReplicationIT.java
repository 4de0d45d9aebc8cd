package org.council.node.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four hosts whose every link has 50 ms delay and 1% loss each way ({@code tc netem} on both ends,
 * so host to host is 100 ms and about 2% one way; the NFQUEUE emulator where the kernel has no
 * netem): 10,000 events appended on one node reach all,
 * and a council asked on another completes. Prints the times; asserts only that it finishes.
 */
class NetemReplicationIT {

    private static final int EVENTS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    private NetLab lab;
    private final List<NetnsNode> nodes = new ArrayList<>();

    @BeforeEach
    void network() {
        NetPreconditions.assumeLinkShaping();
        lab = NetLab.create();
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(NetnsNode::close);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void tenThousandEventsAndACouncilCompleteOverDelayAndLoss() {
        long t0 = System.nanoTime();
        String shaping = null;
        String[] models = {"llama-3b", "qwen-7b", "mistral-7b", "phi-3b"};
        for (int i = 0; i < models.length; i++) {
            NetLab.Host h = lab.publicHost("n" + i);
            shaping = lab.shape(h, 50, 1.0);
            nodes.add(start(h, i, models[i]));
        }
        NetCluster.awaitMesh(nodes, WAIT);
        // The links really are shaped: a TCP connect is a SYN and a SYN-ACK, each through two
        // delayed link ends each way, so it cannot take less than 4 x 50 ms (a lower bound only).
        String address = nodes.get(0).address();
        String connect = nodes.get(1).ask("CONNECT " + address.replace(':', ' ') + " 10000");
        assertThat(connect).startsWith("CONNECT ok");
        assertThat(Long.parseLong(connect.split(" ")[2])).as("connect time over the shaped links, ms")
                .isGreaterThanOrEqualTo(190);
        System.out.printf("[netns] netem: 4 nodes meshed over 50ms/1%% links in %.1fs, shaped by %s%n",
                NetCluster.seconds(t0), shaping);

        NetnsNode source = nodes.get(0);
        long append = System.nanoTime();
        System.out.println("[netns] netem: " + source.ask("APPEND " + EVENTS, WAIT));
        long total = source.status()[0];
        assertThat(total).isGreaterThanOrEqualTo(EVENTS);
        NetCluster.awaitTrue(() -> nodes.stream().allMatch(n -> n.status()[0] >= total), WAIT,
                () -> "the events did not reach every node: " + NetCluster.describe(nodes));
        NetCluster.awaitTrue(() -> NetCluster.same(nodes, "HEADS"), WAIT,
                () -> "heads differ: " + NetCluster.describe(nodes));
        System.out.printf("[netns] netem: %d events appended on one node replicated to all 4 in %.1fs%n",
                EVENTS, NetCluster.seconds(append));

        long ask = System.nanoTime();
        String council = nodes.get(1).ask("COUNCIL 4 60 Does a council survive a lossy network?",
                Duration.ofSeconds(300));
        System.out.printf("[netns] netem: council over 50ms/1%% links in %.1fs: %s%n", NetCluster.seconds(ask),
                council);
        String[] f = council.split(" ");
        assertThat(Integer.parseInt(f[1])).as("stages completed: " + council).isEqualTo(3);
        assertThat(f[3]).as("an answer").isEqualTo("true");
        System.out.printf("[netns] netem: total %.1fs%n", NetCluster.seconds(t0));
    }

    private NetnsNode start(NetLab.Host h, int i, String model) {
        try {
            return NetnsNode.start(h, dir.resolve("n" + i), nodes.stream().map(NetnsNode::seed).toList(),
                    "model=" + model);
        } catch (Exception e) {
            throw new AssertionError("could not start node " + i, e);
        }
    }
}
