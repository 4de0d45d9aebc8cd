package org.council.node.peer;

import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/** Receives the remote-inference messages of every session, on the peer context. */
public interface InferenceHandler {

    void onMessage(PeerLink from, WireMessage message);

    /** The session with {@code peer} closed: fail or cancel its jobs. */
    void onClosed(NodeId peer);
}
