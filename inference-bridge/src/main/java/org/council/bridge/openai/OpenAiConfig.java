package org.council.bridge.openai;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one OpenAI-compatible backend (llama.cpp server, vLLM, LM Studio, Ollama's
 * {@code /v1}). {@code baseUrl} is the server root without {@code /v1}; {@code apiKey} may be
 * empty (sent as a bearer token otherwise, and never shown by {@link #toString()}). Defaults as
 * {@link org.council.bridge.ollama.OllamaConfig}: one parallel request, 5 s connect, 300 s stall,
 * 30 min total. Immutable.
 */
public record OpenAiConfig(
        String name,
        String baseUrl,
        String apiKey,
        int maxConcurrency,
        Duration connectTimeout,
        Duration stallTimeout,
        Duration totalTimeout) {

    public OpenAiConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        apiKey = apiKey == null ? "" : apiKey;
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (baseUrl.endsWith("/v1")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 3);
        }
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL: " + baseUrl);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
    }

    public static OpenAiConfig of(String name, String baseUrl) {
        return new OpenAiConfig(name, baseUrl, "", 1,
                Duration.ofSeconds(5), Duration.ofSeconds(300), Duration.ofMinutes(30));
    }

    public OpenAiConfig withApiKey(String key) {
        return new OpenAiConfig(name, baseUrl, key, maxConcurrency, connectTimeout, stallTimeout, totalTimeout);
    }

    public OpenAiConfig withMaxConcurrency(int n) {
        return new OpenAiConfig(name, baseUrl, apiKey, n, connectTimeout, stallTimeout, totalTimeout);
    }

    public OpenAiConfig withTimeouts(Duration connect, Duration stall, Duration total) {
        return new OpenAiConfig(name, baseUrl, apiKey, maxConcurrency, connect, stall, total);
    }

    @Override
    public String toString() {
        return "OpenAiConfig[name=" + name + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey.isEmpty() ? "" : "***") + ", maxConcurrency=" + maxConcurrency + "]";
    }
}
