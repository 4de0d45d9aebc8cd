package org.council.bridge;

/**
 * Receives generated text as it arrives. Called on the Vert.x event-loop thread of the backend
 * serving the request, one call at a time, before the result future completes (a token racing
 * with a cancellation from another thread may still arrive just after it); implementations must
 * not block. For a non-streamed request it is called once with the whole text. Thinking (when
 * asked for) goes to {@link #onThinking} as it streams; tool calls and, unstreamed, the whole
 * thinking come with the result.
 */
@FunctionalInterface
public interface TokenSink {

    /** A sink that drops everything. */
    TokenSink NONE = text -> { };

    void onToken(String text);

    /** A piece of the model's reasoning, streamed before or between its answer's tokens. */
    default void onThinking(String text) {
    }
}
