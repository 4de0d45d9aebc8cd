package org.council.node.peer;

import java.util.Set;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.WireMessage;

/**
 * Remote inference: hands the inference messages to the node's {@link InferenceHandler} (the
 * inference service), which may be installed after the manager started. Without one, a request is
 * refused and the rest is ignored. Runs on the peer context; the handler field is volatile
 * because the node installs it from its own thread.
 */
final class InferenceProtocol implements ProtocolHandler {

    private volatile InferenceHandler handler;

    void install(InferenceHandler h) {
        this.handler = h;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.INFERENCE_REQUEST, WireMessage.Kind.INFERENCE_TOKENS,
                WireMessage.Kind.INFERENCE_DONE, WireMessage.Kind.INFERENCE_ERROR, WireMessage.Kind.INFERENCE_CANCEL);
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage m) {
        InferenceHandler h = handler;
        if (h == null) {
            if (m instanceof WireMessage.InferenceRequest) {
                session.send(new WireMessage.InferenceError(new byte[0], InferenceErrorCode.REFUSED, "this node serves no inference", 0));
            }
            return;
        }
        h.onMessage(session, m);
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        InferenceHandler h = handler;
        if (h != null) {
            h.onClosed(session.remote());
        }
    }
}
