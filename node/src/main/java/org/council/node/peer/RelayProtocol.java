package org.council.node.peer;

import java.util.Set;
import org.council.node.wire.WireMessage;

/**
 * The relay messages on a session, routed to their part: reservations asked of this node and
 * circuits through it to the {@link RelayService}, answers to our reservations to the
 * {@link RelayClient}, circuits ending here to the {@link CircuitEnds}. A circuit id is looked up
 * with the session it came on, so one session cannot touch another's circuits. Peer-context only.
 */
final class RelayProtocol implements ProtocolHandler {

    private final RelayService service;
    private final RelayClient client;
    private final CircuitEnds ends;

    RelayProtocol(RelayService service, RelayClient client, CircuitEnds ends) {
        this.service = service;
        this.client = client;
        this.ends = ends;
    }

    /** Whether the session runs over a circuit (never a relay or a dial-back target itself). */
    static boolean relayed(SessionChannel s) {
        return s instanceof PeerSession p && p.relayed();
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.RELAY_RESERVE, WireMessage.Kind.RELAY_RESERVATION,
                WireMessage.Kind.CIRCUIT_CONNECT, WireMessage.Kind.CIRCUIT_STATUS, WireMessage.Kind.CIRCUIT_DATA);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        service.announceTo(session);
    }

    @Override
    public void onMessage(SessionChannel s, WireMessage m) {
        if (m instanceof WireMessage.RelayReserve) {
            service.reserve(s);
        } else if (m instanceof WireMessage.RelayReservation r) {
            client.reservation(s, r);
        } else if (m instanceof WireMessage.CircuitConnect c) {
            if (c.toTarget()) {
                ends.incoming(s, c);
            } else {
                service.connect(s, c);
            }
        } else if (m instanceof WireMessage.CircuitStatus st) {
            if (service.handles(st.circuitId(), s)) {
                service.status(s, st);
            } else {
                ends.status(s, st);
            }
        } else if (m instanceof WireMessage.CircuitData d) {
            if (d.data().length > CircuitEnds.MAX_CHUNK) {
                s.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "circuit data over " + CircuitEnds.MAX_CHUNK
                        + " bytes in one frame", false);
            } else if (service.handles(d.circuitId(), s)) {
                service.data(s, d);
            } else {
                ends.data(s, d);
            }
        }
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        service.sessionClosed(session);
        client.sessionClosed(session);
        ends.sessionClosed(session);
    }
}
