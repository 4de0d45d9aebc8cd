package org.council.node.peer;

import io.vertx.core.Context;
import org.council.node.wire.WireMessage;

/**
 * A session as the protocols see it: a {@link PeerLink} plus how to end it and its flow control.
 * A {@link PeerSession} in the node, an in-memory fake in tests. Use on {@link #context()} only.
 */
interface SessionChannel extends PeerLink {

    /** The context the session (and every protocol's state for it) is confined to. */
    Context context();

    /** Says why and closes; with {@code ban}, the peer is refused for the configured ban duration. */
    void misbehave(WireMessage.Reason reason, String detail, boolean ban);

    /** Says why and closes, without blame. */
    void goodbye(WireMessage.Reason reason, String detail);

    /** True when the outgoing queue is full: wait for {@link #onDrain} before sending more. */
    boolean writeQueueFull();

    /** Runs {@code then} once the outgoing queue has room again. */
    void onDrain(Runnable then);

    @Override
    default void whenWritable(Runnable then) {
        onDrain(then);
    }

    /** The peer's host (network address), or null when the session has none (in-memory sessions). */
    default String remoteHost() {
        return null;
    }

    /** Stops reading the peer's input (back-pressure on ingest). */
    void pauseInput();

    void resumeInput();
}
