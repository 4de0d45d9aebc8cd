package org.council.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;

/**
 * {@code POST /v1/embeddings}: {@code input} a string or an array of strings (token arrays are
 * refused: no tokenizer here), {@code encoding_format} {@code float} or {@code base64} (little-endian
 * float32, what OpenAI's clients ask for by default), {@code dimensions} refused, {@code user}
 * ignored. Answers {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],
 * "model","usage":{"prompt_tokens","total_tokens"}}}. Stateless.
 */
final class OpenAiEmbeddings {

    private OpenAiEmbeddings() {
    }

    /** The parsed request; {@code base64} says how to encode the answer. */
    record Call(String model, List<String> input, boolean base64) {
        InferenceRequest toRequest(String resolvedModel) {
            return InferenceRequest.embed(RequesterId.LOCAL, resolvedModel, input, Map.of());
        }
    }

    static Call read(JsonNode body) {
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String f = e.getKey();
            if (!List.of("model", "input", "encoding_format", "dimensions", "user").contains(f)
                    && !e.getValue().isNull()) {
                throw OpenAiError.invalid(f, "Unrecognized request argument supplied: " + f);
            }
        }
        if (body.hasNonNull("dimensions")) {
            throw OpenAiError.unsupported("dimensions", "dimensions (shortened embeddings)");
        }
        String format = body.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw OpenAiError.invalid("encoding_format", "Invalid value: '" + format + "'. Supported values are: "
                    + "'float' and 'base64'.");
        }
        JsonNode v = body.get("input");
        List<String> input = new ArrayList<>();
        if (v != null && v.isTextual()) {
            input.add(v.asText());
        } else if (v != null && v.isArray() && !v.isEmpty() && v.get(0).isTextual()) {
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw OpenAiError.invalid("input", "'input' must be a string or an array of strings.");
                }
                input.add(s.asText());
            }
        } else if (v == null || v.isNull()) {
            throw OpenAiError.invalid("input", "Missing required parameter: 'input'.");
        } else {
            throw OpenAiError.unsupported("input", "An input other than strings (token arrays)");
        }
        return new Call(OpenAiRequests.model(body), input, format.equals("base64"));
    }

    static ObjectNode answer(Call call, InferenceResult result) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("object", "list");
        ArrayNode data = o.putArray("data");
        for (int i = 0; i < result.embeddings().size(); i++) {
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            double[] vector = result.embeddings().get(i);
            if (call.base64()) {
                ByteBuffer b = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (double d : vector) {
                    b.putFloat((float) d);
                }
                e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (double d : vector) {
                    a.add(d);
                }
            }
        }
        o.put("model", call.model());
        long prompt = result.usage() == null ? 0 : result.usage().promptTokens();
        o.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
        return o;
    }
}
