package org.council.node;

import java.util.List;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;

/**
 * The node's model backends and scheduling.
 *
 * @param ollamaUrls   Ollama servers to use (each with Ollama's default one parallel request)
 * @param openAiUrls   OpenAI-compatible servers to use (llama.cpp's {@code llama-server}, vLLM,
 *                     LM Studio), base URLs with or without {@code /v1}; one parallel request each
 * @param openAiApiKey the bearer token sent to every OpenAI-compatible server, or empty for none;
 *                     never shown by {@link #toString()}
 * @param simulated    a simulated backend (labelled as such everywhere), or null for none
 * @param scheduler    queue bounds, weight floor, ageing
 * @param trusted      peers the operator trusts: pre-trusted in the karma computation
 */
public record InferenceConfig(List<String> ollamaUrls, List<String> openAiUrls, String openAiApiKey,
                              SimulatedConfig simulated, SchedulerConfig scheduler, List<NodeId> trusted) {

    public InferenceConfig {
        ollamaUrls = List.copyOf(ollamaUrls);
        openAiUrls = List.copyOf(openAiUrls);
        openAiApiKey = openAiApiKey == null ? "" : openAiApiKey;
        trusted = List.copyOf(trusted);
    }

    /** Ollama servers and no OpenAI-compatible one. */
    public InferenceConfig(List<String> ollamaUrls, SimulatedConfig simulated, SchedulerConfig scheduler,
                           List<NodeId> trusted) {
        this(ollamaUrls, List.of(), "", simulated, scheduler, trusted);
    }

    /** A simulated backend only: for demos and tests, with no model server needed. */
    public static InferenceConfig simulatedOnly() {
        return new InferenceConfig(List.of(), SimulatedConfig.defaults(), SchedulerConfig.defaults(), List.of());
    }

    public InferenceConfig withSimulated(SimulatedConfig s) {
        return new InferenceConfig(ollamaUrls, openAiUrls, openAiApiKey, s, scheduler, trusted);
    }

    public InferenceConfig withScheduler(SchedulerConfig s) {
        return new InferenceConfig(ollamaUrls, openAiUrls, openAiApiKey, simulated, s, trusted);
    }

    /** These OpenAI-compatible servers, all sent {@code apiKey} (empty: no {@code Authorization} header). */
    public InferenceConfig withOpenAi(List<String> urls, String apiKey) {
        return new InferenceConfig(ollamaUrls, urls, apiKey, simulated, scheduler, trusted);
    }

    @Override
    public String toString() {
        return "InferenceConfig[ollamaUrls=" + ollamaUrls + ", openAiUrls=" + openAiUrls + ", openAiApiKey="
                + (openAiApiKey.isEmpty() ? "(none)" : "(hidden)") + ", simulated=" + simulated + ", scheduler="
                + scheduler + ", trusted=" + trusted + "]";
    }
}
