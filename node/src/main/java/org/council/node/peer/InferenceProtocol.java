package org.council.node.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.InferenceRequestPayload;
import org.council.node.wire.WireMessage;

/**
 * Remote inference: hands the inference messages to the node's {@link InferenceHandler} (the
 * inference service), which may be installed after the manager started. Without one, a request is
 * refused and the rest is ignored. Runs on the peer context; the handler field is volatile
 * because the node installs it from its own thread.
 *
 * <p>A request the handler refuses before admission (unparsable, malformed, bad signature), or
 * one signed by another key than the session's peer, cost a signature check on the shared peer context and costs its sender nothing: each session has a
 * budget of them ({@link SessionLimits#badRequestBudget()}), beyond which it is {@code FLOODING}
 * and a ban. An honest requester signs what it sends and never spends it.
 */
final class InferenceProtocol implements ProtocolHandler {

    private final SessionLimits limits;
    private volatile InferenceHandler handler;
    // Accessed by context thread
    private final Map<SessionChannel, TokenBucket> badRequests = new HashMap<>();

    InferenceProtocol(SessionLimits limits) {
        this.limits = limits;
    }

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
        assert ContextCheck.inThread(session.context());
        InferenceHandler h = handler;
        if (h == null) {
            if (m instanceof WireMessage.InferenceRequest) {
                session.send(new WireMessage.InferenceError(new byte[0], InferenceErrorCode.REFUSED, "this node serves no inference", 0));
            }
            return;
        }
        boolean foreign = m instanceof WireMessage.InferenceRequest r && !signedBy(r, session.remote());
        if ((!h.onMessage(session, m) || foreign) && !badRequests.computeIfAbsent(session, s -> new TokenBucket(
                limits.badRequestBudget(), limits.badRequestRefillPerSecond(), System::nanoTime)).take(1)) {
            session.misbehave(WireMessage.Reason.FLOODING, "more refused inference requests than "
                    + limits.badRequestBudget() + " at once and " + limits.badRequestRefillPerSecond() + "/s", true);
        }
    }

    /**
     * Whether the request names the session's peer as its requester. One signed by another key
     * verifies and is then refused at admission: a peer replaying others' requests would get a
     * check for free each time, so it counts as a refused request too. Parsing is cheap; an
     * unparsable request is the handler's to refuse (and counted from its answer).
     */
    private static boolean signedBy(WireMessage.InferenceRequest r, NodeId peer) {
        try {
            return Arrays.equals(InferenceRequestPayload.parseFrom(r.request()).getRequester().toByteArray(), peer.bytes());
        } catch (InvalidProtocolBufferException e) {
            return true;
        }
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        badRequests.remove(session);
        InferenceHandler h = handler;
        if (h != null) {
            h.onClosed(session.remote());
        }
    }
}
