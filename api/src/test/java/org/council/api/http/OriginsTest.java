package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginsTest {

    @Test
    void thisMachinesOriginsAndAppSchemesAreAllowedByDefault() {
        Origins o = Origins.of(List.of());
        for (String ok : List.of("http://localhost", "http://localhost:3000", "https://127.0.0.1:8443",
                "http://[::1]:5173", "http://0.0.0.0:8080", "HTTP://LOCALHOST:3000", "app://obsidian.md",
                "file://", "tauri://localhost", "vscode-webview://x", "vscode-file://vscode-app")) {
            assertThat(o.allows(ok)).as(ok).isTrue();
        }
        for (String no : List.of("https://evil.example", "null", "http://localhost.evil.example",
                "http://127.0.0.1.nip.io", "chrome-extension://abc", "http://192.168.1.5:3000")) {
            assertThat(o.allows(no)).as(no).isFalse();
        }
    }

    @Test
    void extraPatternsWithWildcards() {
        Origins o = Origins.of(List.of("https://chat.example.org", "http://192.168.1.5:*", "chrome-extension://*"));
        assertThat(o.allows("https://chat.example.org")).isTrue();
        assertThat(o.allows("https://chat.example.org:444")).isFalse();
        assertThat(o.allows("http://192.168.1.5:3000")).isTrue();
        assertThat(o.allows("chrome-extension://abcdef")).isTrue();
        assertThat(Origins.of(List.of("*")).allows("https://anything.example")).isTrue();
        assertThat(o.extra()).hasSize(3);
    }

    @Test
    void aBlankOrSpacedPatternIsRefused() {
        assertThatThrownBy(() -> Origins.of(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Origins.of(List.of("https://a .b"))).isInstanceOf(IllegalArgumentException.class);
    }
}
