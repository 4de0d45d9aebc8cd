package org.council.bridge.ollama;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one Ollama backend. Defaults ({@link #defaults()}): base URL
 * {@code http://127.0.0.1:11434}, one parallel request (Ollama's own default per model, so that
 * the node's queue, not Ollama's first-come-first-served queue, decides the order), 5 s connect
 * timeout, 300 s stall timeout (no byte received; a cold model load sends nothing for a while),
 * 30 min total timeout. Immutable.
 */
public record OllamaConfig(
        String name,
        String baseUrl,
        int maxConcurrency,
        Duration connectTimeout,
        Duration stallTimeout,
        Duration totalTimeout) {

    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

    public OllamaConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL: " + baseUrl);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
    }

    public static OllamaConfig defaults() {
        return new OllamaConfig("ollama", DEFAULT_BASE_URL, 1,
                Duration.ofSeconds(5), Duration.ofSeconds(300), Duration.ofMinutes(30));
    }

    public OllamaConfig withBaseUrl(String url) {
        return new OllamaConfig(name, url, maxConcurrency, connectTimeout, stallTimeout, totalTimeout);
    }

    public OllamaConfig withName(String newName) {
        return new OllamaConfig(newName, baseUrl, maxConcurrency, connectTimeout, stallTimeout, totalTimeout);
    }

    public OllamaConfig withMaxConcurrency(int n) {
        return new OllamaConfig(name, baseUrl, n, connectTimeout, stallTimeout, totalTimeout);
    }

    public OllamaConfig withTimeouts(Duration connect, Duration stall, Duration total) {
        return new OllamaConfig(name, baseUrl, maxConcurrency, connect, stall, total);
    }
}
