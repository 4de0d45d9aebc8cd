package org.council.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RequestBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads {@code /v1/chat/completions} and {@code /v1/completions} bodies. Every field is one of:
 * served (it reaches the model as an option, see {@link OpenAiCall}, or as a feature: tools,
 * response_format, reasoning_effort, see {@link OpenAiFeatures}); accepted only at its neutral
 * value ({@code n} 1, {@code functions} empty, {@code logprobs} false,
 * ...), any other value refused with a 400 naming the field; ignored because it cannot change the
 * answer ({@code user}, {@code store}, {@code metadata}, ...); or refused. An unknown field is
 * refused as OpenAI refuses it ("Unrecognized request argument supplied"), so nothing that could
 * change the answer is dropped silently. A JSON null counts as absent. Stateless.
 */
final class OpenAiRequests {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Fields that cannot change the answer: bookkeeping, billing, caching, latency hints. */
    static final Set<String> IGNORED = Set.of("user", "store", "metadata", "service_tier", "safety_identifier",
            "prompt_cache_key", "prediction", "parallel_tool_calls");
    /** OpenAI fields this node knows but cannot honour: refused by name. */
    private static final Map<String, String> REFUSED = Map.of(
            "audio", "Audio output",
            "verbosity", "verbosity",
            "web_search_options", "Web search");
    private static final Set<String> SAMPLING = Set.of("model", "stream", "stream_options", "max_tokens",
            "temperature", "top_p", "seed", "stop", "frequency_penalty", "presence_penalty", "n", "logit_bias");
    private static final Set<String> CHAT = union(SAMPLING, Set.of("messages", "max_completion_tokens", "tools",
            "tool_choice", "functions", "function_call", "response_format", "logprobs", "top_logprobs",
            "modalities", "reasoning_effort"));
    private static final Set<String> TEXT = union(SAMPLING, Set.of("prompt", "best_of", "echo", "logprobs",
            "suffix"));

    private OpenAiRequests() {
    }

    /** The body as a JSON object, whatever the content type says (as Ollama reads it). */
    static JsonNode object(RequestBody body) {
        if (body == null || body.buffer() == null || body.length() == 0) {
            throw OpenAiError.invalid(null, "We could not parse the JSON body of your request: it is empty.");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(body.buffer().getBytes());
        } catch (JsonProcessingException e) {
            throw OpenAiError.invalid(null, "We could not parse the JSON body of your request: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw OpenAiError.invalid(null, "The request body could not be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw OpenAiError.invalid(null, "The request body must be a JSON object.");
        }
        return n;
    }

    static OpenAiCall chat(JsonNode body) {
        known(body, CHAT);
        neutral(body, "functions", v -> v.isArray() && v.isEmpty(), "Functions (function calling)");
        neutral(body, "function_call", v -> v.isTextual() && v.asText().equals("none"), "function_call other than 'none'");
        neutral(body, "logprobs", v -> v.isBoolean() && !v.booleanValue(), "logprobs");
        neutral(body, "top_logprobs", v -> false, "top_logprobs");
        neutral(body, "modalities", v -> v.isArray() && v.size() == 1 && v.get(0).asText("").equals("text"),
                "Modalities other than [\"text\"]");
        Map<String, Object> options = options(body);
        int max = positiveInt(body, "max_completion_tokens");
        if (max > 0) {
            options.put("num_predict", max);
        }
        return new OpenAiCall(OpenAiCall.Shape.CHAT, model(body), OpenAiMessages.read(body.get("messages")), "",
                options, stream(body), includeUsage(body), OpenAiFeatures.read(body));
    }

    static OpenAiCall completion(JsonNode body) {
        known(body, TEXT);
        neutral(body, "best_of", v -> v.isInt() && v.intValue() == 1, "best_of other than 1");
        neutral(body, "echo", v -> v.isBoolean() && !v.booleanValue(), "echo");
        neutral(body, "logprobs", v -> false, "logprobs");
        neutral(body, "suffix", v -> v.isTextual() && v.asText().isEmpty(), "suffix (fill-in-the-middle)");
        JsonNode p = body.get("prompt");
        String prompt;
        if (p != null && p.isTextual()) {
            prompt = p.asText();
        } else if (p != null && p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            prompt = p.get(0).asText();
        } else if (p == null || p.isNull()) {
            throw OpenAiError.invalid("prompt", "Missing required parameter: 'prompt'.");
        } else {
            throw OpenAiError.unsupported("prompt", "A prompt other than one string (several prompts, or tokens)");
        }
        return new OpenAiCall(OpenAiCall.Shape.TEXT, model(body), List.of(), prompt, options(body), stream(body),
                includeUsage(body), null);
    }

    /** {@code model}, required. */
    static String model(JsonNode body) {
        JsonNode m = body.get("model");
        if (m == null || m.isNull() || (m.isTextual() && m.asText().isBlank())) {
            throw OpenAiError.invalid("model", "Missing required parameter: 'model'.");
        }
        if (!m.isTextual()) {
            throw OpenAiError.invalid("model", "'model' must be a string.");
        }
        return m.asText();
    }

    /** The sampling fields both endpoints serve, as the bridge's Ollama-style options. */
    private static Map<String, Object> options(JsonNode body) {
        neutral(body, "n", v -> v.isInt() && v.intValue() == 1, "n other than 1 (several choices)");
        neutral(body, "logit_bias", v -> v.isObject() && v.isEmpty(), "logit_bias");
        Map<String, Object> o = new LinkedHashMap<>();
        int max = positiveInt(body, "max_tokens");
        if (max > 0) {
            o.put("num_predict", max);
        }
        number(body, o, "temperature", 0, 2);
        number(body, o, "top_p", 0, 1);
        number(body, o, "frequency_penalty", -2, 2);
        number(body, o, "presence_penalty", -2, 2);
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
                throw OpenAiError.invalid("seed", "'seed' must be an integer.");
            }
            o.put("seed", seed.longValue());
        }
        List<String> stop = stop(body.get("stop"));
        if (!stop.isEmpty()) {
            o.put("stop", stop);
        }
        return o;
    }

    private static List<String> stop(JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        List<String> out = new ArrayList<>();
        if (v.isArray() && v.size() <= 4) {
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw OpenAiError.invalid("stop", "'stop' must be a string or an array of up to 4 strings.");
                }
                out.add(s.asText());
            }
            return out;
        }
        throw OpenAiError.invalid("stop", "'stop' must be a string or an array of up to 4 strings.");
    }

    private static void number(JsonNode body, Map<String, Object> out, String field, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
            throw OpenAiError.invalid(field, "'" + field + "' must be a number from " + fmt(min) + " to " + fmt(max)
                    + ", got " + v + ".");
        }
        out.put(field, v.doubleValue());
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static int positiveInt(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isInt() || v.intValue() < 1) {
            throw OpenAiError.invalid(field, "'" + field + "' must be a positive integer, got " + v + ".");
        }
        return v.intValue();
    }

    private static boolean stream(JsonNode body) {
        JsonNode v = body.get("stream");
        if (v == null || v.isNull()) {
            return false; // OpenAI answers in one object unless asked to stream
        }
        if (!v.isBoolean()) {
            throw OpenAiError.invalid("stream", "'stream' must be true or false.");
        }
        return v.booleanValue();
    }

    /** Only meaningful when streaming; an unstreamed answer always carries its usage. */
    private static boolean includeUsage(JsonNode body) {
        JsonNode o = body.get("stream_options");
        if (o == null || o.isNull()) {
            return false;
        }
        if (!o.isObject()) {
            throw OpenAiError.invalid("stream_options", "'stream_options' must be an object.");
        }
        JsonNode u = o.get("include_usage");
        if (u != null && !u.isNull() && !u.isBoolean()) {
            throw OpenAiError.invalid("stream_options.include_usage", "'include_usage' must be true or false.");
        }
        return u != null && u.asBoolean(false);
    }

    /** Refuses every field neither served, neutral-checked nor {@link #IGNORED}. */
    private static void known(JsonNode body, Set<String> served) {
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            String f = e.getKey();
            if (REFUSED.containsKey(f) && !e.getValue().isNull()) {
                throw OpenAiError.unsupported(f, REFUSED.get(f));
            }
            if (!served.contains(f) && !IGNORED.contains(f) && !e.getValue().isNull()) {
                throw OpenAiError.invalid(f, "Unrecognized request argument supplied: " + f
                        + " (this Council node refuses what it cannot honour; see docs/openai-compatible.md)");
            }
        }
    }

    /** A field accepted only at a value that changes nothing; any other value is refused. */
    private static void neutral(JsonNode body, String field, Predicate<JsonNode> neutral, String what) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !neutral.test(v)) {
            throw OpenAiError.unsupported(field, what);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
