package org.council.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.Usage;

/**
 * OpenAI's response objects: {@code chat.completion} and its {@code chat.completion.chunk}s,
 * {@code text_completion} (whole and streamed), {@code model} entries, and server-sent event
 * framing. Stateless.
 */
final class OpenAiJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private OpenAiJson() {
    }

    /** The identity every object of one answer shares: its id, creation second and model. */
    record Head(OpenAiCall.Shape shape, String id, long created, String model) {
        ObjectNode object(boolean chunk) {
            String type = shape == OpenAiCall.Shape.TEXT ? "text_completion"
                    : chunk ? "chat.completion.chunk" : "chat.completion";
            return F.objectNode().put("id", id).put("object", type).put("created", created).put("model", model)
                    .putNull("system_fingerprint");
        }
    }

    /** The unstreamed answer: one choice with the whole text, and usage. */
    static ObjectNode completion(Head h, InferenceResult result) {
        ObjectNode o = h.object(false);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (h.shape() == OpenAiCall.Shape.CHAT) {
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (result.toolCalls().isEmpty() || !result.text().isEmpty()) {
                message.put("content", result.text());
            } else {
                message.putNull("content"); // as OpenAI answers a pure tool call
            }
            message.putNull("refusal");
            if (!result.thinking().isEmpty()) {
                message.put("reasoning", result.thinking());
            }
            if (!result.toolCalls().isEmpty()) {
                OpenAiToolCalls.write(message.putArray("tool_calls"), result.toolCalls(), false);
            }
        } else {
            choice.put("text", result.text());
        }
        choice.putNull("logprobs").put("finish_reason", finishReason(result));
        o.set("usage", usage(result.usage()));
        return o;
    }

    /**
     * One streamed piece of text. A chat's first chunk also carries {@code role}; with
     * {@code include_usage} every chunk but the last has {@code "usage": null}, as OpenAI sends it.
     */
    static ObjectNode chunk(Head h, String text, boolean first, boolean includeUsage) {
        ObjectNode o = h.object(true);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (h.shape() == OpenAiCall.Shape.CHAT) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs").putNull("finish_reason");
        return nullUsage(o, includeUsage);
    }

    /** A streamed piece of reasoning ({@code delta.reasoning}, as Ollama's OpenAI compatibility sends it). */
    static ObjectNode reasoningChunk(Head h, String text, boolean first, boolean includeUsage) {
        ObjectNode o = chunk(h, "", first, includeUsage);
        ((ObjectNode) o.get("choices").get(0).get("delta")).put("reasoning", text);
        return o;
    }

    /** The streamed tool calls: one delta with every call whole, each with its {@code index}. */
    static ObjectNode toolCallChunk(Head h, InferenceResult result, boolean first, boolean includeUsage) {
        ObjectNode o = h.object(true);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) {
            delta.put("role", "assistant");
        }
        OpenAiToolCalls.write(delta.putArray("tool_calls"), result.toolCalls(), true);
        choice.putNull("logprobs").putNull("finish_reason");
        return nullUsage(o, includeUsage);
    }

    /** The stream's last choice: no text, the finish reason. */
    static ObjectNode finish(Head h, InferenceResult result, boolean includeUsage) {
        ObjectNode o = h.object(true);
        ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
        if (h.shape() == OpenAiCall.Shape.CHAT) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        choice.putNull("logprobs").put("finish_reason", finishReason(result));
        return nullUsage(o, includeUsage);
    }

    /** {@code stream_options.include_usage}: a last chunk with no choices and the usage. */
    static ObjectNode usageChunk(Head h, InferenceResult result) {
        ObjectNode o = h.object(true);
        o.putArray("choices");
        o.set("usage", usage(result.usage()));
        return o;
    }

    /** A {@code /v1/models} entry; {@code owned_by} names the backend (or peer) that serves it. */
    static ObjectNode model(ModelInfo m, long created) {
        return F.objectNode().put("id", m.name()).put("object", "model").put("created", created)
                .put("owned_by", m.backend());
    }

    static ObjectNode usage(Usage u) {
        Usage usage = u == null ? Usage.NONE : u;
        return F.objectNode().put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
    }

    /** The bridge's {@code stop}/{@code length} are OpenAI's, a tool call is {@code tool_calls}; anything else ended normally. */
    static String finishReason(InferenceResult result) {
        if (!result.toolCalls().isEmpty()) {
            return "tool_calls";
        }
        return "length".equals(result.doneReason()) ? "length" : "stop";
    }

    static byte[] bytes(ObjectNode o) {
        try {
            return OpenAiRequests.MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an OpenAI answer is not serializable", e);
        }
    }

    /** One server-sent event: {@code data: <json>} and a blank line. */
    static byte[] event(ObjectNode o) {
        byte[] json = bytes(o);
        byte[] out = new byte[json.length + 8];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 6);
        System.arraycopy(json, 0, out, 6, json.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
    }

    /** The stream's terminator. */
    static byte[] done() {
        return DONE.clone();
    }

    private static ObjectNode nullUsage(ObjectNode o, boolean includeUsage) {
        if (includeUsage) {
            o.putNull("usage");
        }
        return o;
    }
}
