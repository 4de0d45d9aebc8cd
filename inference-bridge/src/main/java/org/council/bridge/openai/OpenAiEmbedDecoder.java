package org.council.bridge.openai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Usage;
import org.council.bridge.http.HttpErrors;
import org.council.bridge.http.LineDecoder;

/**
 * Decodes {@code /v1/embeddings}: {@code {"data":[{"index","embedding":[...]}],"usage":{...}}},
 * vectors put back in input order by their {@code index}. Confined to one event-loop thread.
 */
final class OpenAiEmbedDecoder implements LineDecoder<InferenceResult> {

    private final String backend;
    private final InferenceRequest request;
    private final long startedNanos = System.nanoTime();
    private final StringBuilder whole = new StringBuilder();

    OpenAiEmbedDecoder(String backend, InferenceRequest request) {
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
        JsonObject body;
        try {
            body = new JsonObject(whole.toString());
        } catch (RuntimeException e) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR, backend + " sent an unreadable embeddings answer");
        }
        if (body.containsKey("error")) {
            throw new BridgeException(ErrorCode.BACKEND_ERROR,
                    backend + " reported an error: " + HttpErrors.errorMessage(body.encode()));
        }
        int n = request.features().input().size();
        double[][] vectors = new double[n][];
        for (Object o : body.getJsonArray("data", new JsonArray())) {
            if (o instanceof JsonObject e && e.getValue("embedding") instanceof JsonArray a) {
                int index = e.getInteger("index", 0);
                if (index >= 0 && index < n) {
                    double[] d = new double[a.size()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = ((Number) a.getValue(i)).doubleValue();
                    }
                    vectors[index] = d;
                }
            }
        }
        List<double[]> out = new ArrayList<>();
        for (double[] v : vectors) {
            if (v == null) {
                throw new BridgeException(ErrorCode.BACKEND_ERROR, backend + " returned fewer embeddings than inputs");
            }
            out.add(v);
        }
        JsonObject u = body.getJsonObject("usage", new JsonObject());
        long took = System.nanoTime() - startedNanos;
        return new InferenceResult(body.getString("model", request.model()), backend, "", "stop",
                new Usage(u.getLong("prompt_tokens", 0L), 0, took, 0, 0, 0), "", List.of(), out);
    }
}
