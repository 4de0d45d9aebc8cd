package org.council.bridge.ollama;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Usage;
import org.council.bridge.http.LineDecoder;

/**
 * Decodes Ollama's {@code /api/embed} answer: one object {@code {"model","embeddings":[[...]],
 * "total_duration","load_duration","prompt_eval_count"}}. Confined to one event-loop thread.
 */
final class OllamaEmbedDecoder implements LineDecoder<InferenceResult> {

    private final String backend;
    private final InferenceRequest request;
    private final StringBuilder whole = new StringBuilder();

    OllamaEmbedDecoder(String backend, InferenceRequest request) {
        this.backend = backend;
        this.request = request;
    }

    @Override
    public boolean onLine(String line) {
        whole.append(line).append('\n');
        return false;
    }

    @Override
    public InferenceResult finish() {
        JsonObject o;
        try {
            o = new JsonObject(whole.toString());
        } catch (RuntimeException e) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR, backend + " sent an unreadable embedding answer");
        }
        if (o.containsKey("error")) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR, backend + " reported an error: " + o.getValue("error"));
        }
        List<double[]> vectors = new ArrayList<>();
        for (Object v : o.getJsonArray("embeddings", new JsonArray())) {
            if (v instanceof JsonArray a) {
                double[] d = new double[a.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = ((Number) a.getValue(i)).doubleValue();
                }
                vectors.add(d);
            }
        }
        if (vectors.size() != request.features().input().size()) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR, backend + " returned " + vectors.size()
                    + " embeddings for " + request.features().input().size() + " inputs");
        }
        long total = o.getLong("total_duration", 0L);
        return new InferenceResult(o.getString("model", request.model()), backend, "", "stop",
                new Usage(o.getLong("prompt_eval_count", 0L), 0, total, o.getLong("load_duration", 0L), 0, 0),
                "", List.of(), vectors);
    }
}
