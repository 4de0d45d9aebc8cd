package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.council.node.DataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CouncilCliTest {

    @TempDir
    Path dir;

    private static String captureOut(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void initCreatesKeyAndCommentedConfigAndIsIdempotent() throws Exception {
        String out = captureOut(() -> assertThat(CouncilCli.execute("init", "--data-dir", dir.toString())).isZero());
        assertThat(out).contains("initialized").contains("node id: ").contains("token:   " + dir.resolve("api.token"));
        String token = org.council.crypto.ApiToken.load(dir.resolve("api.token")).hex();
        assertThat(out).doesNotContain(token);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("api.token")))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("council.properties"))).contains("# network id").contains("listen.port=7400");
        String again = captureOut(() -> assertThat(CouncilCli.execute("init", "--data-dir", dir.toString())).isZero());
        assertThat(again).contains("already initialized");
        assertThat(again.substring(again.indexOf("node id"))).isEqualTo(out.substring(out.indexOf("node id")));
        String shown = captureOut(() -> assertThat(CouncilCli.execute("init", "--data-dir", dir.toString(), "--show-token"))
                .isZero());
        assertThat(shown).contains("api token: " + token);
    }

    @Test
    void runWithoutInitAndBadSettingsGiveConfigExitCode() throws Exception {
        assertThat(CouncilCli.execute("run", "--data-dir", dir.resolve("missing").toString())).isEqualTo(ExitCode.CONFIG);
        CouncilCli.execute("init", "--data-dir", dir.toString());
        assertThat(CouncilCli.execute("run", "--data-dir", dir.toString(), "--listen-port", "99999"))
                .isEqualTo(ExitCode.CONFIG);
        assertThat(CouncilCli.execute("no-such-command")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void settingsPrecedenceIsFileThenEnvironmentThenFlags() throws Exception {
        Files.writeString(new DataDir(dir).settingsFile(), "listen.port=7500\nnetwork=from-file\nseeds=1.2.3.4:5\n");
        Settings s = Settings.load(dir, Map.of("COUNCIL_LISTEN_PORT", "7600", "COUNCIL_NETWORK", "from-env"),
                Map.of("network", "from-flag"));
        assertThat(s.port("listen.port")).isEqualTo(7600);
        assertThat(s.get("network")).isEqualTo("from-flag");
        assertThat(s.list("seeds")).containsExactly("1.2.3.4:5");
        assertThat(s.get("listen.host")).isEqualTo("127.0.0.1");

        Files.writeString(new DataDir(dir).settingsFile(), "listen.prot=1\n");
        assertThatThrownBy(() -> Settings.load(dir, Map.of(), Map.of())).hasMessageContaining("unknown setting `listen.prot`");
    }

    @Test
    void demoRunsACouncilAcrossThreeNodesAndEndsWithAJsonSummary() {
        String out = captureOut(() -> assertThat(CouncilCli.execute("demo", "--json", "--exit")).isZero());
        String[] lines = out.strip().split("\n");
        JsonObject summary = new JsonObject(lines[lines.length - 1]);
        assertThat(summary.getJsonArray("nodes")).hasSize(3);
        assertThat(summary.getJsonArray("nodes").getJsonObject(0).getString("api")).matches("http://127\\.0\\.0\\.1:\\d+/api/v1");
        assertThat(summary.getJsonArray("nodes").getJsonObject(0).getString("ollama")).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(summary.getJsonObject("council").getInteger("stages_completed")).isEqualTo(3);
        assertThat(summary.getJsonObject("council").getString("answer")).startsWith("[simulated answer");
        assertThat(summary.getJsonArray("accounts")).hasSize(3);
    }
}
