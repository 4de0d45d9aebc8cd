package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;
import org.council.crypto.NodeId;
import org.council.node.wire.DialBackStatus;
import org.council.node.wire.WireMessage;

/**
 * Reachability, after libp2p's AutoNAT. As requester: after hello, asks up to {@link #ASK_PEERS}
 * peers to dial it back and files their answers in {@link Reachability}. As the peer asked: dials
 * the session's remote IP (never a host the requester names, so no one can aim this node at a third
 * party) at the requested port, completes TLS, and calls it reachable only when the key proven there
 * is the requester's. A dial-back is work a stranger can ask for, so it is bounded: one per session
 * per {@link #PER_SESSION_INTERVAL_NANOS}, {@link #MAX_CONCURRENT} at once in total, each cut off
 * after {@link #DIAL_TIMEOUT_MS}; over a bound the answer is REFUSED (not tried). Confined to the
 * peer context.
 */
final class ReachabilityProtocol implements ProtocolHandler {

    static final int ASK_PEERS = 3;
    static final int MAX_CONCURRENT = 4;
    static final long PER_SESSION_INTERVAL_NANOS = 60_000_000_000L;
    static final long DIAL_TIMEOUT_MS = 5_000;
    static final int MAX_NONCE_BYTES = 16;

    private final Context context;
    private final Reachability state;
    private final IntSupplier listenPort;
    private final IntSupplier peerCount;
    private final BiFunction<String, Integer, Future<NetSocket>> dial;
    // Accessed by context thread (all below)
    private final Map<SessionChannel, byte[]> asked = new HashMap<>(); // our requests awaiting an answer
    private final Map<SessionChannel, Long> servedNanos = new HashMap<>(); // last dial-back done for a session
    private int answered;
    private int dialsInFlight;

    /**
     * @param dial opens a TLS connection to host:port (the transport's, whose client proves this node's key)
     */
    ReachabilityProtocol(Context context, Reachability state, IntSupplier listenPort, IntSupplier peerCount,
                         BiFunction<String, Integer, Future<NetSocket>> dial) {
        this.context = context;
        this.state = state;
        this.listenPort = listenPort;
        this.peerCount = peerCount;
        this.dial = dial;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.DIAL_BACK_REQUEST, WireMessage.Kind.DIAL_BACK_RESULT);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        assert ContextCheck.inThread(context);
        int port = listenPort.getAsInt();
        if (RelayProtocol.relayed(session)) {
            return; // its "remote IP" is this machine: a dial-back there proves nothing
        }
        if (port <= 0 || answered + asked.size() >= ASK_PEERS) {
            return;
        }
        byte[] nonce = new byte[MAX_NONCE_BYTES];
        ThreadLocalRandom.current().nextBytes(nonce);
        asked.put(session, nonce);
        session.send(new WireMessage.DialBackRequest(port, nonce));
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage m) {
        assert ContextCheck.inThread(context);
        if (m instanceof WireMessage.DialBackRequest r) {
            serve(session, r);
        } else if (m instanceof WireMessage.DialBackResult r) {
            byte[] nonce = asked.get(session);
            if (nonce == null || !Arrays.equals(nonce, r.nonce())) {
                return; // not asked, or not this question: an unsolicited answer changes nothing
            }
            asked.remove(session);
            if (r.status() == DialBackStatus.REFUSED) {
                return; // the peer was busy: it counts neither way, and another peer may be asked
            }
            answered++;
            state.record(session.remote(), r.status() == DialBackStatus.REACHABLE, r.observedHost(),
                    peerCount.getAsInt());
        }
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        asked.remove(session);
        servedNanos.remove(session);
    }

    private void serve(SessionChannel session, WireMessage.DialBackRequest r) {
        if (r.nonce().length > MAX_NONCE_BYTES) {
            session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "dial-back nonce over " + MAX_NONCE_BYTES
                    + " bytes", false);
            return;
        }
        // a fake session in tests has no socket, hence no address to dial
        String host = session instanceof PeerSession s && !s.relayed() ? s.remoteHost() : null;
        int observedPort = session instanceof PeerSession s ? s.remotePort() : 0;
        long now = System.nanoTime();
        Long last = servedNanos.get(session);
        if (host == null || (last != null && now - last < PER_SESSION_INTERVAL_NANOS) || dialsInFlight >= MAX_CONCURRENT) {
            session.send(new WireMessage.DialBackResult(r.nonce(), DialBackStatus.REFUSED, "", 0));
            return;
        }
        servedNanos.put(session, now);
        if (r.port() <= 0 || r.port() > 65_535) {
            answer(session, r, false, host, observedPort);
            return;
        }
        dialsInFlight++;
        Future<NetSocket> connecting = dial.apply(host, r.port());
        connecting.timeout(DIAL_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
            dialsInFlight--;
            boolean reachable = false;
            if (ar.succeeded()) {
                NodeId proven = PeerTransport.provenId(ar.result());
                reachable = session.remote().equals(proven); // someone else at that address does not count
                ar.result().close();
            } else {
                connecting.onSuccess(NetSocket::close); // timed out: a late connection is dropped
            }
            answer(session, r, reachable, host, observedPort);
        });
    }

    private static void answer(SessionChannel session, WireMessage.DialBackRequest r, boolean reachable, String host,
                               int observedPort) {
        session.send(new WireMessage.DialBackResult(r.nonce(), reachable ? DialBackStatus.REACHABLE
                : DialBackStatus.UNREACHABLE, host, observedPort));
    }
}
