package org.council.api.ollama;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequestFeatures;
import org.council.bridge.RequesterId;

/**
 * One parsed {@code /api/chat} or {@code /api/generate} request. {@code shape} decides the answer's
 * shape ({@code message.content} or {@code response}); {@code system} is a generate request's
 * system prompt; {@code features} its tools, format, think, keep_alive and images. Immutable.
 */
record OllamaCall(Shape shape, String model, List<ChatMessage> messages, String prompt, String system,
                  Map<String, Object> options, boolean stream, RequestFeatures features) {

    /** Which endpoint was called, so which field carries the text. */
    enum Shape { CHAT, GENERATE }

    OllamaCall {
        messages = List.copyOf(messages);
        prompt = prompt == null ? "" : prompt;
        system = system == null ? "" : system;
        options = Map.copyOf(options);
        features = features == null ? RequestFeatures.NONE : features;
    }

    /**
     * Nothing to generate: Ollama answers such a request by loading the model and reporting
     * {@code done_reason} "load" (an empty chat, or a generate request without a prompt).
     */
    boolean loadOnly() {
        return shape == Shape.CHAT ? messages.isEmpty() : prompt.isEmpty() && system.isEmpty();
    }

    /**
     * The request for the gateway, for {@code resolvedModel}, on behalf of this node's own user.
     * A generate request with a system prompt becomes a chat (system, then the prompt as the user's
     * turn): the bridge's raw generation has no system prompt.
     */
    InferenceRequest toRequest(String resolvedModel) {
        if (shape == Shape.CHAT) {
            return new InferenceRequest(RequesterId.LOCAL, resolvedModel, InferenceRequest.Kind.CHAT, messages, "",
                    options, stream, features);
        }
        if (!system.isEmpty()) {
            List<ChatMessage> turns = new ArrayList<>();
            turns.add(ChatMessage.system(system));
            turns.add(features.images().isEmpty() ? ChatMessage.user(prompt)
                    : new ChatMessage("user", prompt, features.images(), List.of(), "", ""));
            RequestFeatures asChat = new RequestFeatures(List.of(), features.format(), features.think(),
                    features.keepAlive(), List.of(), List.of());
            return new InferenceRequest(RequesterId.LOCAL, resolvedModel, InferenceRequest.Kind.CHAT, turns, "",
                    options, stream, asChat);
        }
        return new InferenceRequest(RequesterId.LOCAL, resolvedModel, InferenceRequest.Kind.GENERATE, List.of(), prompt,
                options, stream, features);
    }
}
