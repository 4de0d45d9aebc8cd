package org.council.node.peer;

import java.util.Set;
import java.util.function.Consumer;
import org.council.node.wire.WireMessage;

/**
 * Wraps a protocol and notes, for eviction, when a session delivers work this node can use: event
 * batches and inference results. It sees messages, not their outcome, so a peer replaying known
 * events also counts; that is bounded by the duplicate budget (then a ban) and buys at most one of
 * {@link Eviction#PROTECT_USEFUL} protections. Runs on the peer context like the protocol it wraps.
 */
final class UsefulWork implements ProtocolHandler {

    private static final Set<WireMessage.Kind> USEFUL = Set.of(WireMessage.Kind.EVENTS, WireMessage.Kind.INFERENCE_DONE);

    private final ProtocolHandler inner;
    private final Consumer<SessionChannel> useful;

    UsefulWork(ProtocolHandler inner, Consumer<SessionChannel> useful) {
        this.inner = inner;
        this.useful = useful;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return inner.kinds();
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        inner.onSessionReady(session);
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage message) {
        if (USEFUL.contains(message.kind())) {
            useful.accept(session);
        }
        inner.onMessage(session, message);
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        inner.onSessionClosed(session);
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
