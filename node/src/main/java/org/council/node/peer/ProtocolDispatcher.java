package org.council.node.peer;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.node.wire.WireMessage;

/**
 * Routes each message of a ready session to the protocol registered for its kind. Hello and
 * goodbye belong to the session itself (handshake and close), so no protocol may claim them. A
 * kind no protocol registered is a protocol violation, never a fall-through to some default.
 *
 * <p>Immutable once built (before the node listens): safe to share.
 */
final class ProtocolDispatcher {

    private static final Set<WireMessage.Kind> SESSION_KINDS = Set.of(WireMessage.Kind.HELLO, WireMessage.Kind.GOODBYE);

    private final List<ProtocolHandler> protocols;
    private final Map<WireMessage.Kind, ProtocolHandler> byKind = new EnumMap<>(WireMessage.Kind.class);

    /**
     * @param protocols in the order they learn of new sessions (replication first: its clocks are
     *                  the first thing a peer should read after hello)
     * @throws IllegalArgumentException when two protocols claim one kind, or one claims hello/goodbye
     */
    ProtocolDispatcher(List<ProtocolHandler> protocols) {
        this.protocols = List.copyOf(protocols);
        for (ProtocolHandler p : this.protocols) {
            for (WireMessage.Kind k : p.kinds()) {
                if (SESSION_KINDS.contains(k)) {
                    throw new IllegalArgumentException(k + " belongs to the session, not to " + p);
                }
                ProtocolHandler previous = byKind.putIfAbsent(k, p);
                if (previous != null) {
                    throw new IllegalArgumentException(k + " is claimed by " + previous + " and " + p);
                }
            }
        }
    }

    /** Hands {@code m} to its protocol; an unregistered kind disconnects the peer with a reason. */
    void dispatch(SessionChannel session, WireMessage m) {
        ProtocolHandler p = byKind.get(m.kind());
        if (p == null) {
            // counted and refused, but no ban: that this node speaks no such protocol is not the peer's fault
            session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "this node handles no " + m.kind() + " message",
                    false);
            return;
        }
        p.onMessage(session, m);
    }

    void sessionReady(SessionChannel session) {
        for (ProtocolHandler p : protocols) {
            p.onSessionReady(session);
        }
    }

    void sessionClosed(SessionChannel session) {
        for (ProtocolHandler p : protocols) {
            p.onSessionClosed(session);
        }
    }
}
