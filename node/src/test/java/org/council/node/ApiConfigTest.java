package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    private static final String TOKEN = "0123456789abcdef-token";

    @Test
    void theEndpointRefusesToListenBeyondLoopbackWithoutAToken() {
        for (String host : List.of("0.0.0.0", "::", "192.168.1.10", "my-box")) {
            assertThatThrownBy(() -> new ApiConfig("127.0.0.1", 0, host, 0))
                    .as(host)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ollama.token")
                    .hasMessageContaining("ollama.listen.host")
                    .hasMessageContaining(host);
        }
    }

    @Test
    void beyondLoopbackWithATokenAndOnLoopbackWithoutOneItStarts() {
        ApiConfig wide = new ApiConfig("127.0.0.1", 0, "0.0.0.0", 0, List.of(), Optional.of(TOKEN));
        assertThat(wide.ollamaAccess().loopbackOnly()).isFalse();
        assertThat(wide.ollamaAccess().token()).contains(TOKEN);
        assertThat(ApiConfig.defaults().ollamaAccess().loopbackOnly()).isTrue();
        assertThat(ApiConfig.local().ollamaToken()).isEmpty();
        assertThat(new ApiConfig("127.0.0.1", 0, "localhost", 0).ollamaOrigins()).isEmpty();
    }

    @Test
    void aWeakTokenOrABadOriginIsRefusedAndTheTokenNeverShown() {
        assertThatThrownBy(() -> ApiConfig.local().withOllamaAccess(List.of(), Optional.of("short")))
                .hasMessageContaining("ollama.token").hasMessageNotContaining("short");
        assertThatThrownBy(() -> ApiConfig.local().withOllamaAccess(List.of(), Optional.of("has a space in it ok")))
                .hasMessageContaining("ollama.token");
        assertThatThrownBy(() -> ApiConfig.local().withOllamaAccess(List.of(" "), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        ApiConfig ok = ApiConfig.local().withOllamaAccess(List.of("https://chat.example.org"), Optional.of(TOKEN));
        assertThat(ok.toString()).doesNotContain(TOKEN).contains("https://chat.example.org");
        assertThat(ok.ollamaAccess().origins().allows("https://chat.example.org")).isTrue();
    }
}
