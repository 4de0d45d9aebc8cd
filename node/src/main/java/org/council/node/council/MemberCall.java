package org.council.node.council;

import io.vertx.core.Future;
import java.util.Objects;

/**
 * One member call in flight: its reply, and {@code cancel} to stop the member's work (safe from any
 * thread, a no-op once the reply is settled). Immutable.
 */
public record MemberCall(Future<MemberReply> reply, Runnable cancel) {

    public MemberCall {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(cancel, "cancel");
    }
}
