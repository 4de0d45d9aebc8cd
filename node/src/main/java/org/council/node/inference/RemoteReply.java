package org.council.node.inference;

import java.util.List;
import org.council.bridge.ToolCall;
import org.council.ledger.event.SignedEvent;

/**
 * What a remote member returned. {@code acknowledged} is true when the server's receipt claim
 * checked out and this node appended its half; otherwise {@code refusal} says why it did not pay.
 * {@code thinking} is the reasoning streamed (empty unless asked), {@code toolCalls} the model's
 * tool calls; {@code embeddings} an embedding job's vectors, one per input (empty for a chat).
 * Immutable.
 */
public record RemoteReply(String text, long promptTokens, long completionTokens, SignedEvent proposal,
                          boolean acknowledged, String refusal, String thinking, List<ToolCall> toolCalls,
                          List<double[]> embeddings) {

    public RemoteReply {
        thinking = thinking == null ? "" : thinking;
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
        embeddings = List.copyOf(embeddings == null ? List.of() : embeddings);
    }

    public RemoteReply(String text, long promptTokens, long completionTokens, SignedEvent proposal,
                       boolean acknowledged, String refusal, String thinking, List<ToolCall> toolCalls) {
        this(text, promptTokens, completionTokens, proposal, acknowledged, refusal, thinking, toolCalls, List.of());
    }

    public RemoteReply(String text, long promptTokens, long completionTokens, SignedEvent proposal,
                       boolean acknowledged, String refusal) {
        this(text, promptTokens, completionTokens, proposal, acknowledged, refusal, "", List.of());
    }
}
