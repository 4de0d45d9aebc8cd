package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.council.node.DataDir;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, ask and peers against real nodes on loopback. */
class NodeCommandsTest {

    @TempDir
    static Path dir;
    private static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeConfig.local(dir.resolve("node")));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.stop();
        }
    }

    private String api() {
        return node.apiUrl();
    }

    private String nodeDir() {
        return dir.resolve("node").toString();
    }

    @Test
    void statusShowsTheNodeAndItsLedger() {
        CliRun text = CliRun.of("status", "--api", api());
        assertThat(text.exit()).as(text.toString()).isZero();
        assertThat(text.out()).contains("node     " + node.id().hex()).contains("version  " + Node.VERSION)
                .contains("peers    0 connected").contains("queue    0 waiting").contains("backend simulated")
                .containsPattern("ledger   1 feeds, \\d+ events");

        CliRun json = CliRun.of("status", "--api", api(), "--json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonObject o = new JsonObject(json.out().strip());
        assertThat(o.getJsonObject("node").getString("id")).isEqualTo(node.id().hex());
        assertThat(o.getInteger("feeds")).isEqualTo(1);
        assertThat(o.getLong("events")).isEqualTo(node.store().eventCount());
        assertThat(o.getJsonObject("queue").getInteger("waiting")).isZero();
    }

    @Test
    void statusFindsTheApiFromTheDataDirSettings() throws Exception {
        Path other = dir.resolve("configured");
        Files.createDirectories(other);
        int port = Integer.parseInt(api().replaceAll(".*:(\\d+)/api/v1", "$1"));
        Files.writeString(new DataDir(other).settingsFile(), "api.host=127.0.0.1\napi.port=" + port + "\n");
        CliRun r = CliRun.of("status", "--data-dir", other.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(node.id().hex());
    }

    @Test
    void statusOfNoNodeSaysSoAndFails() {
        CliRun r = CliRun.of("status", "--api", "http://127.0.0.1:1/api/v1");
        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("no node answers at http://127.0.0.1:1/api/v1 (start one with `./council run`)");
    }

    @Test
    void badConfigAndBadFlagsHaveTheirExitCodes() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(new DataDir(bad).settingsFile(), "api.port=http\n");
        CliRun config = CliRun.of("status", "--data-dir", bad.toString());
        assertThat(config.exit()).isEqualTo(ExitCode.CONFIG);
        assertThat(config.err()).contains("api.port").contains("http").contains("council.properties");

        assertThat(CliRun.of("status", "--no-such-flag").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("ask").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("ask", "--members", "0", "why?", "--api", api(), "--data-dir", nodeDir()).exit())
                .isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("peers", "add", "not-an-address", "--api", api(), "--data-dir", nodeDir()).exit())
                .isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("ledger").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.of("ledger", "verify", "--api", api(), "--file", "x.jsonl").exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void askStreamsThreeStagesAndPrintsTheAnswer() {
        CliRun r = CliRun.of("ask", "--api", api(), "--data-dir", nodeDir(), "--members", "1", "--timeout", "30",
                "Is", "a", "council", "of", "one", "wise?");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("stage 1 (answer): ").contains("stage 2 (review): ").contains("stage 3 (synthesis): ")
                .contains("replied").contains("stages completed: 3/3").contains("answer from the chairman, ")
                .contains("[simulated answer");
        assertThat(r.out().indexOf("stage 1 (answer)")).isLessThan(r.out().indexOf("stage 3 (synthesis)"));

        CliRun json = CliRun.of("ask", "--api", api(), "--data-dir", nodeDir(), "--members", "1", "--json", "Why?");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonObject result = new JsonObject(json.out().strip());
        assertThat(result.getInteger("stages_completed")).isEqualTo(3);
        assertThat(result.getString("question")).isEqualTo("Why?");
        assertThat(json.err()).contains("stage 3 (synthesis): ");
    }

    @Test
    void askForAModelNobodyServesFailsWithTheNodesReason() {
        CliRun r = CliRun.of("ask", "--api", api(), "--data-dir", nodeDir(), "--model", "no-such-model", "Anyone?");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).startsWith("council: the council failed: ").contains("no council member available");
    }

    @Test
    void askWithAWrongTokenExplainsTheTokenFile() throws Exception {
        Path stranger = dir.resolve("stranger");
        CliRun init = CliRun.of("init", "--data-dir", stranger.toString());
        assertThat(init.exit()).isZero();
        CliRun r = CliRun.of("ask", "--api", api(), "--data-dir", stranger.toString(), "Hello?");
        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).contains("refused the API token (401").contains("api.token")
                .contains(stranger.resolve("api.token").toString());
    }

    @Test
    void peersAddMakesTheNodeDialAndListShowsTheSession() throws Exception {
        Node other = Node.start(NodeConfig.local(dir.resolve("other")));
        try {
            CliRun add = CliRun.of("peers", "add", other.id().hex() + "@" + other.address(), "--api", api(),
                    "--data-dir", nodeDir());
            assertThat(add.exit()).as(add.toString()).isZero();
            assertThat(add.out()).contains("dialing " + other.id().hex() + "@" + other.address());
            awaitPeer(other);
            CliRun list = CliRun.of("peers", "list", "--api", api());
            assertThat(list.exit()).as(list.toString()).isZero();
            assertThat(list.out()).contains(other.id().hex());
            CliRun json = CliRun.of("peers", "list", "--api", api(), "--json");
            assertThat(new JsonObject(json.out().strip()).getJsonArray("peers").getJsonObject(0).getString("id"))
                    .isEqualTo(other.id().hex());
        } finally {
            other.stop();
        }
    }

    private void awaitPeer(Node other) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!node.peers().connectedPeers().containsKey(other.id()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(node.peers().connectedPeers()).containsKey(other.id());
    }
}
