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
        boolean stream) {

    /** Chat ({@code /api/chat}) or raw generation ({@code /api/generate}). */
    public enum Kind { CHAT, GENERATE }

    public InferenceRequest {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(kind, "kind");
        messages = List.copyOf(messages == null ? List.of() : messages);
        prompt = prompt == null ? "" : prompt;
        options = Map.copyOf(options == null ? Map.of() : options);
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (kind == Kind.CHAT && messages.isEmpty()) {
            throw new IllegalArgumentException("a chat needs at least one message");
        }
    }

    public static InferenceRequest chat(RequesterId requester, String model, List<ChatMessage> messages) {
        return new InferenceRequest(requester, model, Kind.CHAT, messages, "", Map.of(), true);
    }

    public static InferenceRequest generate(RequesterId requester, String model, String prompt) {
        return new InferenceRequest(requester, model, Kind.GENERATE, List.of(), prompt, Map.of(), true);
    }

    public InferenceRequest withOptions(Map<String, Object> newOptions) {
        return new InferenceRequest(requester, model, kind, messages, prompt, newOptions, stream);
    }

    public InferenceRequest withModel(String newModel) {
        return new InferenceRequest(requester, newModel, kind, messages, prompt, options, stream);
    }

    public InferenceRequest withStream(boolean newStream) {
        return new InferenceRequest(requester, model, kind, messages, prompt, options, newStream);
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
