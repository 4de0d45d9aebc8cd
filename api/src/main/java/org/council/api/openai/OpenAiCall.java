package org.council.api.openai;

import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequestFeatures;
import org.council.bridge.RequesterId;

/**
 * One parsed {@code /v1/chat/completions} or {@code /v1/completions} request. {@code options} are
 * the bridge's Ollama-style options ({@code num_predict}, {@code temperature}, {@code top_p},
 * {@code seed}, {@code stop}, {@code frequency_penalty}, {@code presence_penalty});
 * {@code includeUsage} asks a stream for a final usage chunk; {@code features} the tools, format
 * and thinking asked for. Immutable.
 */
record OpenAiCall(Shape shape, String model, List<ChatMessage> messages, String prompt,
                  Map<String, Object> options, boolean stream, boolean includeUsage, RequestFeatures features) {

    /** Which endpoint was called, so which objects answer it. */
    enum Shape {
        /** {@code chat.completion} and {@code chat.completion.chunk} objects. */
        CHAT,
        /** {@code text_completion} objects. */
        TEXT
    }

    OpenAiCall {
        messages = List.copyOf(messages);
        prompt = prompt == null ? "" : prompt;
        options = Map.copyOf(options);
        features = features == null ? RequestFeatures.NONE : features;
    }

    /** The request for the gateway, for {@code resolvedModel}, on behalf of this node's own user. */
    InferenceRequest toRequest(String resolvedModel) {
        return shape == Shape.CHAT
                ? new InferenceRequest(RequesterId.LOCAL, resolvedModel, InferenceRequest.Kind.CHAT, messages, "",
                        options, stream, features)
                : new InferenceRequest(RequesterId.LOCAL, resolvedModel, InferenceRequest.Kind.GENERATE, List.of(),
                        prompt, options, stream, features);
    }
}
