package org.council.node;

import java.util.List;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;

/**
 * The node's model backends and scheduling.
 *
 * @param ollamaUrls  Ollama servers to use (each with Ollama's default one parallel request)
 * @param simulated   a simulated backend (labelled as such everywhere), or null for none
 * @param scheduler   queue bounds, weight floor, ageing
 * @param trusted     peers the operator trusts: pre-trusted in the karma computation
 */
public record InferenceConfig(List<String> ollamaUrls, SimulatedConfig simulated, SchedulerConfig scheduler,
                              List<NodeId> trusted) {

    public InferenceConfig {
        ollamaUrls = List.copyOf(ollamaUrls);
        trusted = List.copyOf(trusted);
    }

    /** A simulated backend only: for demos and tests, with no model server needed. */
    public static InferenceConfig simulatedOnly() {
        return new InferenceConfig(List.of(), SimulatedConfig.defaults(), SchedulerConfig.defaults(), List.of());
    }

    public InferenceConfig withSimulated(SimulatedConfig s) {
        return new InferenceConfig(ollamaUrls, s, scheduler, trusted);
    }

    public InferenceConfig withScheduler(SchedulerConfig s) {
        return new InferenceConfig(ollamaUrls, simulated, s, trusted);
    }
}
