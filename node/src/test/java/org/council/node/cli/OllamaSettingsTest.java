package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.council.node.ApiConfig;
import org.council.node.DataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ollama-compatible endpoint's access settings: origins, token, and the loopback rule. */
class OllamaSettingsTest {

    private static final String TOKEN = "a-long-enough-secret-token";

    @TempDir
    Path dir;

    private ApiConfig api(Map<String, String> env) {
        return Settings.load(dir, env, Map.of()).nodeConfig(dir).api();
    }

    @Test
    void byDefaultLoopbackNoTokenNoExtraOrigins() {
        ApiConfig api = api(Map.of());
        assertThat(api.ollamaHost()).isEqualTo("127.0.0.1");
        assertThat(api.ollamaOrigins()).isEmpty();
        assertThat(api.ollamaToken()).isEmpty();
    }

    @Test
    void originsAndTokenFromTheEnvironmentAndFile() throws Exception {
        Files.writeString(new DataDir(dir).settingsFile(), "ollama.origins=https://chat.example.org, chrome-extension://*\n");
        ApiConfig api = api(Map.of("COUNCIL_OLLAMA_TOKEN", TOKEN, "COUNCIL_OLLAMA_LISTEN_HOST", "0.0.0.0"));
        assertThat(api.ollamaOrigins()).containsExactly("https://chat.example.org", "chrome-extension://*");
        assertThat(api.ollamaToken()).contains(TOKEN);
        assertThat(api.ollamaHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void beyondLoopbackWithoutATokenIsAConfigurationErrorNamingTheKeys() throws Exception {
        Files.writeString(new DataDir(dir).settingsFile(), "ollama.listen.host=0.0.0.0\n");
        assertThatThrownBy(() -> api(Map.of()))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                .hasMessageContaining("setting `ollama.listen.host` = `0.0.0.0`")
                .hasMessageContaining("council.properties")
                .hasMessageContaining("ollama.token");
    }

    @Test
    void aWeakTokenIsRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> api(Map.of("COUNCIL_OLLAMA_TOKEN", "pw123")))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                .hasMessageContaining("setting `ollama.token` (from environment COUNCIL_OLLAMA_TOKEN)")
                .hasMessageNotContaining("pw123");
    }

    @Test
    void runRefusesToStartANodeWhoseEndpointWouldBeOpen() throws Exception {
        Path node = dir.resolve("node");
        assertThat(CliRun.of("init", "--data-dir", node.toString()).exit()).isZero();
        Files.writeString(new DataDir(node).settingsFile(), "ollama.listen.host=0.0.0.0\nlisten.port=0\napi.port=0\n");

        CliRun run = CliRun.of("run", "--data-dir", node.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(run.err()).contains("ollama.listen.host").contains("ollama.token");
    }
}
