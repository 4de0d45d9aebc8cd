package org.council.node.peer;

import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/** An authenticated session with one peer, as other node components see it. Use on the peer context only. */
public interface PeerLink {

    /** The peer's proven node id. */
    NodeId remote();

    /** Sends a message (dropped when the session has closed). */
    void send(WireMessage message);

    boolean isClosed();

    /** True when the outgoing queue is full: wait for {@link #whenWritable} before sending more. */
    boolean writeQueueFull();

    /**
     * Runs {@code then} once, on the peer context, when the outgoing queue has drained. Unlike a
     * socket's drain handler, every caller's waiter runs (streams of several jobs wait side by side).
     */
    void whenWritable(Runnable then);
}
