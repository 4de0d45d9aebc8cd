package org.council.node;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.council.bridge.Backend;
import org.council.bridge.ollama.OllamaBackend;
import org.council.bridge.ollama.OllamaConfig;
import org.council.bridge.openai.OpenAiBackend;
import org.council.bridge.openai.OpenAiConfig;
import org.council.bridge.simulated.SimulatedBackend;

/** Builds the model backends an {@link InferenceConfig} names: Ollama servers, OpenAI-compatible servers, the simulated one. */
final class Backends {

    private Backends() {
    }

    /** One backend per configured URL, named {@code ollama}, {@code ollama-2}, … and {@code openai}, {@code openai-2}, …. */
    static List<Backend> build(Vertx vertx, InferenceConfig c) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < c.ollamaUrls().size(); i++) {
            out.add(new OllamaBackend(vertx, OllamaConfig.defaults().withBaseUrl(c.ollamaUrls().get(i))
                    .withName(i == 0 ? "ollama" : "ollama-" + (i + 1))));
        }
        for (int i = 0; i < c.openAiUrls().size(); i++) {
            out.add(new OpenAiBackend(vertx, OpenAiConfig.of(i == 0 ? "openai" : "openai-" + (i + 1),
                    c.openAiUrls().get(i)).withApiKey(c.openAiApiKey())));
        }
        if (c.simulated() != null) {
            out.add(new SimulatedBackend(vertx, c.simulated()));
        }
        return out;
    }
}
