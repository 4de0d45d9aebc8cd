package org.council.api.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.council.api.ChatGateway;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.ToolCall;
import org.council.bridge.Usage;
import org.council.crypto.Sha256;

/**
 * Ollama's response objects: stream chunks, the final {@code done} object with its usage, model
 * entries for {@code /api/tags} and {@code /api/show}, errors. Simulated models say so in
 * {@code details.format} and {@code details.family}. Stateless.
 */
final class OllamaJson {

    static final String SIMULATED = "simulated";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OllamaJson() {
    }

    /** One streamed piece of text: {@code done} false. */
    static ObjectNode chunk(OllamaCall.Shape shape, String model, String text) {
        ObjectNode o = head(model);
        text(o, shape, text);
        return o.put("done", false);
    }

    /** One streamed piece of thinking: {@code message.thinking} (chat) or {@code thinking} (generate). */
    static ObjectNode thinkingChunk(OllamaCall.Shape shape, String model, String thinking) {
        ObjectNode o = chunk(shape, model, "");
        (shape == OllamaCall.Shape.CHAT ? (ObjectNode) o.get("message") : o).put("thinking", thinking);
        return o;
    }

    /** The streamed chunk carrying the model's tool calls, as Ollama sends them before its final object. */
    static ObjectNode toolCallChunk(String model, List<ToolCall> calls) {
        ObjectNode o = chunk(OllamaCall.Shape.CHAT, model, "");
        toolCalls((ObjectNode) o.get("message"), calls);
        return o;
    }

    private static void toolCalls(ObjectNode message, List<ToolCall> calls) {
        ArrayNode list = message.putArray("tool_calls");
        for (ToolCall c : calls) {
            ObjectNode fn = list.addObject().putObject("function").put("name", c.name());
            fn.set("arguments", OllamaRequests.MAPPER.valueToTree(c.arguments()));
        }
    }

    /** The {@code /api/embed} answer. */
    static ObjectNode embed(String model, InferenceResult result) {
        ObjectNode o = F.objectNode().put("model", model);
        ArrayNode list = o.putArray("embeddings");
        result.embeddings().forEach(v -> vector(list.addArray(), v));
        Usage u = result.usage() == null ? Usage.NONE : result.usage();
        return o.put("total_duration", u.totalDurationNanos()).put("load_duration", u.loadDurationNanos())
                .put("prompt_eval_count", u.promptTokens());
    }

    /** The legacy {@code /api/embeddings} answer: one vector. */
    static ObjectNode embedding(InferenceResult result) {
        ObjectNode o = F.objectNode();
        vector(o.putArray("embedding"), result.embeddings().isEmpty() ? new double[0] : result.embeddings().get(0));
        return o;
    }

    private static void vector(ArrayNode out, double[] v) {
        for (double d : v) {
            out.add(d);
        }
    }

    /**
     * The final object: in a stream {@code text} is empty (the pieces came before); unstreamed it
     * is the whole answer.
     */
    static ObjectNode done(OllamaCall.Shape shape, String model, String text, InferenceResult result) {
        return done(shape, model, text, result, false);
    }

    /** With {@code whole} (an unstreamed answer) the final object also carries the thinking and tool calls. */
    static ObjectNode done(OllamaCall.Shape shape, String model, String text, InferenceResult result, boolean whole) {
        ObjectNode o = head(model);
        text(o, shape, text);
        if (whole) {
            ObjectNode target = shape == OllamaCall.Shape.CHAT ? (ObjectNode) o.get("message") : o;
            if (!result.thinking().isEmpty()) {
                target.put("thinking", result.thinking());
            }
            if (shape == OllamaCall.Shape.CHAT && !result.toolCalls().isEmpty()) {
                toolCalls(target, result.toolCalls());
            }
        }
        o.put("done", true).put("done_reason", result.doneReason() == null ? "stop" : result.doneReason());
        Usage u = result.usage() == null ? Usage.NONE : result.usage();
        return o.put("total_duration", u.totalDurationNanos())
                .put("load_duration", u.loadDurationNanos())
                .put("prompt_eval_count", u.promptTokens())
                .put("prompt_eval_duration", u.promptEvalDurationNanos())
                .put("eval_count", u.completionTokens())
                .put("eval_duration", u.evalDurationNanos());
    }

    /** The answer to a request with nothing to generate: Ollama's "model loaded". */
    static ObjectNode loaded(OllamaCall.Shape shape, String model) {
        ObjectNode o = head(model);
        text(o, shape, "");
        return o.put("done", true).put("done_reason", "load");
    }

    static ObjectNode error(String message) {
        return F.objectNode().put("error", message);
    }

    /** One {@code /api/tags} entry. */
    static ObjectNode tag(ModelInfo m, String modifiedAt) {
        ObjectNode o = F.objectNode().put("name", m.name()).put("model", m.name()).put("modified_at", modifiedAt)
                .put("size", m.sizeBytes()).put("digest", digest(m));
        o.set("details", details(m));
        return o;
    }

    /** The {@code /api/show} answer: what the node knows about a model, which is little for a peer's. */
    static ObjectNode show(ModelInfo m, String modifiedAt) {
        ObjectNode o = F.objectNode()
                .put("modelfile", "# " + describe(m) + "\n")
                .put("parameters", "")
                .put("template", "{{ .Prompt }}")
                .put("license", "");
        o.set("details", details(m));
        ObjectNode info = o.putObject("model_info").put("general.architecture", family(m))
                .put("council.backend", m.backend())
                .put("council.simulated", m.simulated());
        m.parameterBillions().ifPresent(b -> info.put("general.parameter_count", Math.round(b * 1e9)));
        ArrayNode caps = o.putArray("capabilities");
        m.capabilities().forEach(caps::add);
        return o.put("modified_at", modifiedAt);
    }

    static byte[] bytes(ObjectNode o) {
        try {
            return OllamaRequests.MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an Ollama answer is not serializable", e);
        }
    }

    /** One NDJSON line. */
    static byte[] line(ObjectNode o) {
        byte[] json = bytes(o);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    private static ObjectNode head(String model) {
        return F.objectNode().put("model", model).put("created_at", Instant.now().toString());
    }

    private static void text(ObjectNode o, OllamaCall.Shape shape, String text) {
        if (shape == OllamaCall.Shape.CHAT) {
            o.putObject("message").put("role", "assistant").put("content", text);
        } else {
            o.put("response", text);
        }
    }

    private static ObjectNode details(ModelInfo m) {
        ObjectNode d = F.objectNode().put("parent_model", "").put("format", format(m)).put("family", family(m));
        ArrayNode families = d.putArray("families").add(family(m));
        if (m.simulated() && !m.family().isEmpty() && !m.family().equals(SIMULATED)) {
            families.add(m.family());
        }
        return d.put("parameter_size", m.parameterSize())
                .put("quantization_level", m.quantization());
    }

    private static String format(ModelInfo m) {
        if (m.simulated()) {
            return SIMULATED;
        }
        return m.name().equals(ChatGateway.COUNCIL_MODEL) ? "council" : "gguf";
    }

    private static String family(ModelInfo m) {
        if (m.simulated()) {
            return SIMULATED;
        }
        return m.family().isEmpty() ? "unknown" : m.family();
    }

    private static String describe(ModelInfo m) {
        if (m.name().equals(ChatGateway.COUNCIL_MODEL)) {
            return "Council node: model \"council\" runs a council query and answers with the chairman's synthesis"
                    + (m.simulated() ? " (simulated members)" : "");
        }
        return "Council node: model \"" + m.name() + "\" served by " + m.backend()
                + (m.simulated() ? " (SIMULATED: no language model is run)" : "");
    }

    /** A stable stand-in for Ollama's blob digest: the node has no blob, so it hashes what identifies the model. */
    private static String digest(ModelInfo m) {
        return HexFormat.of().formatHex(Sha256.hash((m.name() + "\n" + m.backend()).getBytes(StandardCharsets.UTF_8)));
    }
}
