package org.council.bridge.simulated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the simulated backend. Every model name starts with {@code simulated-} (a name
 * without it gets the prefix), so a simulated model can never pass for a real one. Defaults
 * ({@link #defaults()}): models {@code simulated-llama-3b} and {@code simulated-qwen-7b},
 * 25 tokens/s, 200 ms to the first token, 48 tokens per answer unless {@code num_predict} asks
 * for fewer or more, 2 parallel requests. Immutable.
 */
public record SimulatedConfig(
        String name,
        List<String> models,
        double tokensPerSecond,
        Duration firstTokenLatency,
        int defaultCompletionTokens,
        int maxConcurrency) {

    public static final String PREFIX = "simulated-";

    public SimulatedConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(firstTokenLatency, "firstTokenLatency");
        List<String> labelled = new ArrayList<>();
        for (String m : models) {
            labelled.add(m.startsWith(PREFIX) ? m : PREFIX + m);
        }
        models = List.copyOf(labelled);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("at least one simulated model");
        }
        if (!(tokensPerSecond > 0) || defaultCompletionTokens < 1 || maxConcurrency < 1
                || firstTokenLatency.isNegative()) {
            throw new IllegalArgumentException("rate, token count and concurrency must be positive");
        }
    }

    public static SimulatedConfig defaults() {
        return new SimulatedConfig("simulated", List.of("simulated-llama-3b", "simulated-qwen-7b"),
                25, Duration.ofMillis(200), 48, 2);
    }

    public SimulatedConfig withRate(double tokensPerSecond, Duration firstTokenLatency) {
        return new SimulatedConfig(name, models, tokensPerSecond, firstTokenLatency, defaultCompletionTokens,
                maxConcurrency);
    }

    public SimulatedConfig withModels(List<String> newModels) {
        return new SimulatedConfig(name, newModels, tokensPerSecond, firstTokenLatency, defaultCompletionTokens,
                maxConcurrency);
    }

    public SimulatedConfig withCompletionTokens(int tokens) {
        return new SimulatedConfig(name, models, tokensPerSecond, firstTokenLatency, tokens, maxConcurrency);
    }

    public SimulatedConfig withMaxConcurrency(int n) {
        return new SimulatedConfig(name, models, tokensPerSecond, firstTokenLatency, defaultCompletionTokens, n);
    }
}
