package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Where a session's life meets the rest of the peer layer: opening it on a socket (through the
 * {@link HelloGate}: a deadline for hello, and for inbound connections the pre-hello caps),
 * admitting it after hello (admission, inbound slots with eviction, then the registry's duplicate
 * rule, then its address into the address book), and telling the protocols, the slots and the
 * address book when it ends. Confined to the peer context.
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
    private final HelloGate gate;
    private final InboundSlots inbound;
    // Accessed by context thread: the address each outbound session was dialled at, until hello
    private final Map<PeerSession, AddressBook.KnownPeer> dialled = new IdentityHashMap<>();

    SessionLifecycle(Context context, NodeId self, PeerConfig config, PeerAdmission admission, SessionRegistry sessions,
                     AddressBook addresses, ProtocolDispatcher protocols, IntSupplier listenPort, HelloGate gate,
                     InboundSlots inbound) {
        this.context = context;
        this.self = self;
        this.config = config;
        this.admission = admission;
        this.sessions = sessions;
        this.addresses = addresses;
        this.protocols = protocols;
        this.listenPort = listenPort;
        this.gate = gate;
        this.inbound = inbound;
    }

    /**
     * An inbound TLS connection whose peer proved {@code remote}: refused at once when too many
     * connections (in total or from its host) are waiting for hello, else a session that says hello.
     */
    void openInbound(NetSocket socket, NodeId remote) {
        assert ContextCheck.inThread(context);
        Optional<String> full = gate.refuse(socket.remoteAddress().host());
        if (full.isPresent()) {
            admission.recordRefusal(full.get());
            PeerTransport.refuse(socket, WireMessage.Reason.TOO_MANY_PEERS, "too many connections waiting for hello");
            return;
        }
        open(new PeerSession(this, socket, context, remote, false));
    }

    /**
     * A TLS connection over a circuit through the relay at {@code relayHost} (outbound: we dialled
     * through it). Admission treats it as coming from the relay's host, never as a loopback peer, and
     * its address never enters the address book.
     */
    void openRelayed(NetSocket socket, NodeId remote, boolean outbound, String relayHost) {
        assert ContextCheck.inThread(context);
        if (!outbound) {
            Optional<String> full = gate.refuse(relayHost);
            if (full.isPresent()) {
                admission.recordRefusal(full.get());
                PeerTransport.refuse(socket, WireMessage.Reason.TOO_MANY_PEERS, "too many connections waiting for hello");
                return;
            }
        }
        PeerSession s = new PeerSession(this, socket, context, remote, outbound);
        s.relayedVia(relayHost);
        open(s);
    }

    /** An outbound TLS connection to the address {@code from}, whose peer proved {@code remote}. */
    void openOutbound(NetSocket socket, NodeId remote, AddressBook.KnownPeer from) {
        assert ContextCheck.inThread(context);
        PeerSession s = new PeerSession(this, socket, context, remote, true);
        dialled.put(s, from);
        open(s);
    }

    private void open(PeerSession s) {
        gate.enter(s, s.remoteHost(), !s.outbound(), () -> {
            admission.recordRefusal("hello_timeout");
            s.goodbye(WireMessage.Reason.PROTOCOL_VIOLATION, "no hello within " + config.admission().helloTimeout());
        });
        s.start();
    }

    /** A session said hello; false when it must not go on (the session has been told why). */
    boolean admit(PeerSession s) {
        assert ContextCheck.inThread(context);
        gate.leave(s);
        NodeId remote = s.remote();
        AddressBook.KnownPeer from = dialled.remove(s);
        if (remote.equals(self)) {
            if (from != null) {
                addresses.isSelf(from);
            }
            s.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "connected to itself");
            return false;
        }
        if (admission.refuses(remote)) {
            s.goodbye(WireMessage.Reason.BANNED, "refused");
            return false;
        }
        if (!s.outbound() && !sessions.contains(remote) && !makeRoom(s)) {
            return false;
        }
        if (!sessions.register(s)) {
            return false;
        }
        if (!s.outbound()) {
            inbound.add(s);
        }
        if (from != null) {
            addresses.worked(from, remote);
        } else if (s.remoteListenPort() > 0 && !s.relayed()) {
            addresses.connected(remote, s.remoteHost(), s.remoteListenPort());
        }
        LOG.log(System.Logger.Level.DEBUG, "session with " + remote.shortHex() + " (" + (s.outbound() ? "out" : "in") + ")");
        return true;
    }

    /** Finds an inbound slot for {@code s}, evicting a less valuable peer if need be; false: refused (told why). */
    private boolean makeRoom(PeerSession s) {
        InboundSlots.Decision d = inbound.decide(s.remoteHost());
        if (d instanceof InboundSlots.Decision.Refuse r) {
            admission.recordRefusal(r.cause());
            if (r.cause().equals(InboundSlots.ADDRESS_CAP) && !s.relayed()) {
                gate.refusedAtCap(s.remoteHost());
            }
            s.goodbye(WireMessage.Reason.TOO_MANY_PEERS, r.detail());
            return false;
        }
        if (d instanceof InboundSlots.Decision.Evict e) {
            admission.recordRefusal("evicted");
            LOG.log(System.Logger.Level.INFO, "evicting inbound peer " + e.victim().remote().shortHex()
                    + " for " + s.remote().shortHex());
            e.victim().goodbye(WireMessage.Reason.TOO_MANY_PEERS, "evicted to make room for a new peer");
        }
        return true;
    }

    /**
     * {@code s} was banned: when it came in directly, its host's handshake budget pays too (a
     * circuit's host is the relay's, which must not pay for whom it relays).
     */
    void banned(PeerSession s) {
        assert ContextCheck.inThread(context);
        if (!s.outbound() && !s.relayed()) {
            gate.banned(s.remoteHost());
        }
    }

    /** The session is closing or closed (called once for each; only the registered one counts). */
    void closed(PeerSession s) {
        assert ContextCheck.inThread(context);
        gate.leave(s);
        AddressBook.KnownPeer from = dialled.remove(s);
        if (from != null) {
            addresses.failed(from); // closed before hello: the address did not work
        }
        inbound.remove(s);
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
