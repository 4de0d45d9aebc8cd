package org.council.node.inference;

import java.util.List;
import org.council.bridge.ToolCall;
import org.council.ledger.event.SignedEvent;

/**
 * What a remote member returned. {@code acknowledged} is true when the server's receipt claim
 * checked out and this node appended its half; otherwise {@code refusal} says why it did not pay.
 * {@code thinking} is the reasoning streamed (empty unless asked), {@code toolCalls} the model's
 * tool calls. Immutable.
 */
public record RemoteReply(String text, long promptTokens, long completionTokens, SignedEvent proposal,
                          boolean acknowledged, String refusal, String thinking, List<ToolCall> toolCalls) {

    public RemoteReply {
        thinking = thinking == null ? "" : thinking;
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
    }

    public RemoteReply(String text, long promptTokens, long completionTokens, SignedEvent proposal,
                       boolean acknowledged, String refusal) {
        this(text, promptTokens, completionTokens, proposal, acknowledged, refusal, "", List.of());
    }
}
