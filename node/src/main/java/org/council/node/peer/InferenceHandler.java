package org.council.node.peer;

import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/** Receives the remote-inference messages of every session, on the peer context. */
public interface InferenceHandler {

    /**
     * Handles one message. Returns false when it was a request refused before any admission
     * (unparsable, malformed, or signed by no one it names): a signature check the sender got for
     * free, which the peer layer budgets per session ({@link SessionLimits#badRequestBudget()}).
     */
    boolean onMessage(PeerLink from, WireMessage message);

    /** The session with {@code peer} closed: fail or cancel its jobs. */
    void onClosed(NodeId peer);
}
