package org.council.node.peer;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.council.node.wire.WireMessage;

/**
 * Keep-alive: answers pings, pings every session periodically, and says goodbye to a peer not
 * heard from for {@link #IDLE_LIMIT_NANOS} (any message counts; the session notes when it last
 * heard one). Runs on the peer context.
 */
final class KeepAliveProtocol implements ProtocolHandler {

    static final long PING_INTERVAL_MS = 15_000;
    static final long IDLE_LIMIT_NANOS = 60_000_000_000L;

    private final SessionRegistry sessions;

    KeepAliveProtocol(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.PING, WireMessage.Kind.PONG);
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage m) {
        if (m instanceof WireMessage.Ping p) {
            session.send(new WireMessage.Pong(p.nonce()));
        }
        // a pong only proves the peer is alive, which the session noted when it arrived
    }

    /** Every {@link #PING_INTERVAL_MS}: ping the live sessions, drop the silent ones. */
    void tick() {
        long now = System.nanoTime();
        for (PeerSession s : sessions.all()) {
            if (now - s.lastHeardNanos() > IDLE_LIMIT_NANOS) {
                s.goodbye(WireMessage.Reason.UNSPECIFIED, "no message for 60 s");
            } else {
                s.send(new WireMessage.Ping(ThreadLocalRandom.current().nextLong()));
            }
        }
    }
}
