package org.council.node.inference;

import org.council.ledger.event.SignedEvent;

/**
 * What a remote member returned. {@code acknowledged} is true when the server's receipt claim
 * checked out and this node appended its half; otherwise {@code refusal} says why it did not pay.
 */
public record RemoteReply(String text, long promptTokens, long completionTokens, SignedEvent proposal,
                          boolean acknowledged, String refusal) {
}
