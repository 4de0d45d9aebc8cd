package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.function.IntSupplier;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Where a session's life meets the rest of the peer layer: opening it on an admitted socket,
 * admitting it after hello (admission, then the registry's duplicate rule, then its listen address
 * into the address book), and telling the protocols and the address book when it ends. Confined
 * to the peer context.
 */
final class SessionLifecycle {

    private static final System.Logger LOG = System.getLogger(SessionLifecycle.class.getName());

    private final Context context;
    private final NodeId self;
    private final PeerConfig config;
    private final PeerAdmission admission;
    private final SessionRegistry sessions;
    private final AddressBook addresses;
    private final ProtocolDispatcher protocols;
    private final IntSupplier listenPort;

    SessionLifecycle(Context context, NodeId self, PeerConfig config, PeerAdmission admission, SessionRegistry sessions,
                     AddressBook addresses, ProtocolDispatcher protocols, IntSupplier listenPort) {
        this.context = context;
        this.self = self;
        this.config = config;
        this.admission = admission;
        this.sessions = sessions;
        this.addresses = addresses;
        this.protocols = protocols;
        this.listenPort = listenPort;
    }

    /** Starts a session on a TLS connection whose peer proved {@code remote}; it says hello first. */
    void open(NetSocket socket, NodeId remote, boolean outbound) {
        new PeerSession(this, socket, context, remote, outbound).start();
    }

    /** A session said hello; false when it must not go on (the session has been told why). */
    boolean admit(PeerSession s) {
        assert ContextCheck.inThread(context);
        NodeId remote = s.remote();
        if (remote.equals(self)) {
            s.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "connected to itself");
            return false;
        }
        if (admission.refuses(remote)) {
            s.goodbye(WireMessage.Reason.BANNED, "refused");
            return false;
        }
        if (!sessions.register(s)) {
            return false;
        }
        if (s.remoteListenPort() > 0) {
            addresses.connected(remote, s.remoteHost(), s.remoteListenPort());
        }
        LOG.log(System.Logger.Level.DEBUG, "session with " + remote.shortHex() + " (" + (s.outbound() ? "out" : "in") + ")");
        return true;
    }

    /** The session is closing or closed (called once for each; only the registered one counts). */
    void closed(PeerSession s) {
        assert ContextCheck.inThread(context);
        if (sessions.isRegistered(s)) {
            protocols.sessionClosed(s);
            sessions.remove(s);
            addresses.disconnected(s.remote());
        }
    }

    NodeId self() {
        return self;
    }

    PeerConfig config() {
        return config;
    }

    int listenPort() {
        return listenPort.getAsInt();
    }

    PeerAdmission admission() {
        return admission;
    }

    ProtocolDispatcher protocols() {
        return protocols;
    }
}
