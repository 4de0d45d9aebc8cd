package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.council.node.DataDir;
import org.council.node.InferenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code openai.urls} and {@code openai.api.key}: the OpenAI-compatible backends the node builds. */
class OpenAiSettingsTest {

    private static final String KEY = "sk-local-secret-key";

    @TempDir
    Path dir;

    private InferenceConfig inference(Map<String, String> env) {
        return Settings.load(dir, env, Map.of()).nodeConfig(dir).inference();
    }

    @Test
    void byDefaultNoOpenAiCompatibleServerAndNoKey() {
        InferenceConfig c = inference(Map.of());
        assertThat(c.openAiUrls()).isEmpty();
        assertThat(c.openAiApiKey()).isEmpty();
    }

    @Test
    void urlsFromTheFileAndTheKeyFromTheEnvironmentNeverShown() throws Exception {
        Files.writeString(new DataDir(dir).settingsFile(),
                "openai.urls=http://127.0.0.1:8080/v1, http://gpu-box:8000\n");
        InferenceConfig c = inference(Map.of("COUNCIL_OPENAI_API_KEY", KEY));
        assertThat(c.openAiUrls()).containsExactly("http://127.0.0.1:8080/v1", "http://gpu-box:8000");
        assertThat(c.openAiApiKey()).isEqualTo(KEY);
        assertThat(c.toString()).doesNotContain(KEY).contains("(hidden)");
    }

    @Test
    void theKeyMayComeFromTheFile() throws Exception {
        Files.writeString(new DataDir(dir).settingsFile(), "openai.urls=http://127.0.0.1:1234\nopenai.api.key=" + KEY + "\n");
        assertThat(inference(Map.of()).openAiApiKey()).isEqualTo(KEY);
    }

    @Test
    void aUrlThatIsNotHttpIsAConfigurationError() {
        assertThatThrownBy(() -> inference(Map.of("COUNCIL_OPENAI_URLS", "127.0.0.1:8080")))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG))
                .hasMessageContaining("setting `openai.urls`")
                .hasMessageContaining("environment COUNCIL_OPENAI_URLS");
    }
}
