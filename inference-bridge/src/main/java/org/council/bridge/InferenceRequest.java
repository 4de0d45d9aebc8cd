package org.council.bridge;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One inference job: a chat (list of messages) or a raw generation (prompt), for one model, on
 * behalf of one requester. {@code options} are Ollama-style model options ({@code temperature},
 * {@code num_predict}, {@code top_p}, {@code seed}, {@code stop}, ...); backends translate them.
 * {@code stream} chooses streamed delivery to the {@link TokenSink} (token by token) or one
 * delivery of the whole text at the end.
 *
 * <p>Immutable and thread-safe (the lists and map are copied).
 */
public record InferenceRequest(
        RequesterId requester,
        String model,
        Kind kind,
        List<ChatMessage> messages,
        String prompt,
        Map<String, Object> options,
        boolean stream,
        RequestFeatures features) {

    /** Chat ({@code /api/chat}), raw generation ({@code /api/generate}) or embeddings ({@code /api/embed}). */
    public enum Kind { CHAT, GENERATE, EMBED }

    public InferenceRequest {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(kind, "kind");
        messages = List.copyOf(messages == null ? List.of() : messages);
        prompt = prompt == null ? "" : prompt;
        options = Map.copyOf(options == null ? Map.of() : options);
        features = features == null ? RequestFeatures.NONE : features;
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (kind == Kind.CHAT && messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
        if (kind == Kind.EMBED && features.input().isEmpty()) {
            throw new IllegalArgumentException("an embedding request needs at least one input");
        }
    }

    /** A request without tools, format, think, keep_alive or images. */
    public InferenceRequest(RequesterId requester, String model, Kind kind, List<ChatMessage> messages, String prompt,
            Map<String, Object> options, boolean stream) {
        this(requester, model, kind, messages, prompt, options, stream, RequestFeatures.NONE);
    }

    /** Embeddings of {@code input}, one vector per text. */
    public static InferenceRequest embed(RequesterId requester, String model, List<String> input,
            Map<String, Object> options) {
        return new InferenceRequest(requester, model, Kind.EMBED, List.of(), "", options, false,
                new RequestFeatures(List.of(), null, null, null, List.of(), input));
    }

    public static InferenceRequest chat(RequesterId requester, String model, List<ChatMessage> messages) {
        return new InferenceRequest(requester, model, Kind.CHAT, messages, "", Map.of(), true);
    }

    public static InferenceRequest generate(RequesterId requester, String model, String prompt) {
        return new InferenceRequest(requester, model, Kind.GENERATE, List.of(), prompt, Map.of(), true);
    }

    public InferenceRequest withOptions(Map<String, Object> newOptions) {
        return new InferenceRequest(requester, model, kind, messages, prompt, newOptions, stream, features);
    }

    public InferenceRequest withModel(String newModel) {
        return new InferenceRequest(requester, newModel, kind, messages, prompt, options, stream, features);
    }

    public InferenceRequest withStream(boolean newStream) {
        return new InferenceRequest(requester, model, kind, messages, prompt, options, newStream, features);
    }

    public InferenceRequest withRequester(RequesterId newRequester) {
        return new InferenceRequest(newRequester, model, kind, messages, prompt, options, stream, features);
    }

    public InferenceRequest withFeatures(RequestFeatures newFeatures) {
        return new InferenceRequest(requester, model, kind, messages, prompt, options, stream, newFeatures);
    }

    /** The requested maximum of generated tokens ({@code num_predict} or {@code max_tokens}), if any. */
    public OptionalInt maxTokens() {
        for (String key : List.of("num_predict", "max_tokens")) {
            if (options.get(key) instanceof Number n && n.intValue() > 0) {
                return OptionalInt.of(n.intValue());
            }
        }
        return OptionalInt.empty();
    }
}
