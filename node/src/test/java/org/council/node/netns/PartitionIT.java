package org.council.node.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four hosts on the namespace internet; two lose their links while every node appends (and one
 * runs a council), then the links come back: every node ends with the same feeds and balances.
 */
class PartitionIT {

    private static final Duration WAIT = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    private NetLab lab;
    private final List<NetnsNode> nodes = new ArrayList<>();

    @BeforeEach
    void network() {
        NetPreconditions.assumeNamespaces();
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
    void aPartitionDuringConcurrentAppendsHealsToTheSameFeedsAndBalances() throws Exception {
        long t0 = System.nanoTime();
        String[] models = {"llama-3b", "qwen-7b", "mistral-7b", "phi-3b"};
        for (int i = 0; i < 4; i++) {
            NetLab.Host h = lab.publicHost("n" + i);
            nodes.add(NetnsNode.start(h, dir.resolve("n" + i), nodes.stream().map(NetnsNode::seed).toList(),
                    "model=" + models[i]));
        }
        NetCluster.awaitMesh(nodes, WAIT);
        // A council while connected, so that there are balances to agree on.
        String council = nodes.get(0).ask("COUNCIL 4 30 Why do partitions heal?", Duration.ofSeconds(180));
        System.out.printf("[netns] partition: mesh of 4 and a council in %.1fs: %s%n", NetCluster.seconds(t0), council);
        NetCluster.awaitConverged(nodes, WAIT);

        long cut = System.nanoTime();
        NetLab.Host c = nodes.get(2).host();
        NetLab.Host d = nodes.get(3).host();
        lab.linkDown(c);
        lab.linkDown(d);
        // Everyone appends at once; a council runs on the side that still has two nodes.
        List<CompletableFuture<String>> work = new ArrayList<>();
        for (NetnsNode n : nodes) {
            work.add(CompletableFuture.supplyAsync(() -> n.ask("APPEND 300")));
        }
        String partitioned = nodes.get(1).ask("COUNCIL 2 10 Who is still here?", Duration.ofSeconds(120));
        work.forEach(CompletableFuture::join);
        // The connected side keeps replicating between itself while the cut-off nodes see nothing.
        List<NetnsNode> connected = nodes.subList(0, 2);
        NetCluster.awaitTrue(() -> NetCluster.same(connected, "HEADS"), WAIT,
                () -> "the connected side did not converge during the partition: " + NetCluster.describe(connected));
        assertThat(nodes.get(2).ask("HEADS")).as("the cut-off node has not seen the others' new events")
                .isNotEqualTo(nodes.get(0).ask("HEADS"));
        assertThat(nodes.get(2).status()[0]).isLessThan(nodes.get(0).status()[0]);
        System.out.printf("[netns] partition: cut for %.1fs; council on the connected side: %s%n",
                NetCluster.seconds(cut), partitioned);

        long heal = System.nanoTime();
        lab.linkUp(c);
        lab.linkUp(d);
        NetCluster.awaitConverged(nodes, WAIT);
        System.out.printf("[netns] partition: healed and converged in %.1fs (total %.1fs): %s%n",
                NetCluster.seconds(heal), NetCluster.seconds(t0), NetCluster.describe(nodes));
        String balances = nodes.get(0).ask("BALANCES");
        System.out.println("[netns] partition: balances " + balances);
        assertThat(nodes.get(0).status()[1]).as("feeds").isEqualTo(4);
        assertThat(nodes.get(0).status()[0]).as("events").isGreaterThanOrEqualTo(4 * 300);
    }
}
