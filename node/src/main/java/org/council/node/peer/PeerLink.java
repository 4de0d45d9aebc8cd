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
}
