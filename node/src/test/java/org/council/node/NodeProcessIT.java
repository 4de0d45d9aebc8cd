package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.council.crypto.KeyFiles;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes as separate JVM processes, replicating with an in-process node over loopback TLS. */
class NodeProcessIT {

    @TempDir
    Path dir;

    private record Proc(Process process, BufferedReader out, NodeId id, String address) {
    }

    private static Proc launch(Path data, String seeds, int events) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NodeProcessMain.class.getName(),
                data.toString(), seeds, Integer.toString(events))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("process said where it listens").startsWith("LISTENING ");
        String[] f = line.split(" ");
        assertThat(out.readLine()).isEqualTo("APPENDED");
        return new Proc(p, out, NodeId.fromHex(f[1]), f[2]);
    }

    private static void stop(Proc p) throws Exception {
        p.process().getOutputStream().close();
        assertThat(p.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.process().exitValue()).isZero();
    }

    @Test
    void nodesInSeparateProcessesConverge() throws Exception {
        Proc first = launch(dir.resolve("p1"), "-", 120);
        List<FeedHead> heads;
        try (TestCluster cluster = new TestCluster(dir)) {
            Node local = cluster.start("local", List.of(first.id().hex() + "@" + first.address()));
            Proc second = launch(dir.resolve("p2"), local.id().hex() + "@" + local.address(), 80);
            for (int i = 0; i < 50; i++) {
                local.store().append(org.council.ledger.testing.FeedBuilder.capabilities("local-" + i)).join();
            }
            // 250 appended events plus each node's capabilities announcement
            TestCluster.awaitTrue(() -> local.store().heads().size() == 3 && local.store().eventCount() == 253,
                    Duration.ofSeconds(60), () -> "local node did not receive both processes' feeds: " + cluster.describe());
            heads = local.store().heads();
            for (Proc p : List.of(first, second)) {
                TestCluster.awaitTrue(() -> count(p).equals("COUNT 253 3"), Duration.ofSeconds(60),
                        () -> "process " + p.id().shortHex() + " did not converge");
            }
            stop(second);
        }
        stop(first);
        for (String name : List.of("p1", "p2")) {
            Path data = dir.resolve(name);
            try (RocksLedgerStore store = RocksLedgerStore.open(data.resolve("ledger"),
                    KeyFiles.load(data.resolve("node.key")), LedgerConfig.defaults())) {
                assertThat(store.heads()).as("feeds of process %s", name).isEqualTo(heads);
            }
        }
    }

    private static String count(Proc p) {
        try {
            p.process().getOutputStream().write("COUNT\n".getBytes(StandardCharsets.US_ASCII));
            p.process().getOutputStream().flush();
            return p.out().readLine();
        } catch (java.io.IOException e) {
            throw new AssertionError("process " + p.id().shortHex() + " is gone", e);
        }
    }
}
