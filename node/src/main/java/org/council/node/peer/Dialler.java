package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Dials the address book's due addresses, a few at a time, backing off (with jitter) from those
 * that fail. Anchors and seeds are dialled whenever they are not connected; learned addresses
 * while this node holds fewer outbound sessions than its outbound slots ({@code targetConnections}).
 * Inbound sessions never count here, so however many strangers connect, the node keeps looking for
 * the peers it chose. Like Bitcoin Core, learned addresses are dialled only in netgroups where the
 * node has no outbound session yet (routable addresses; loopback and private ones are each their
 * own group), so one provider's addresses cannot fill the outbound slots. An id is enforced only where the operator (a seed) or an earlier session (an
 * anchor) vouches for it; a learned address is dialled for whatever key TLS proves there.
 * Confined to the peer context.
 */
final class Dialler {

    static final long DIAL_INTERVAL_MS = 250;
    private static final int MAX_DIALS_IN_FLIGHT = 4;
    private static final System.Logger LOG = System.getLogger(Dialler.class.getName());

    private final Context context;
    private final NodeId self;
    private final int outboundSlots;
    private final AddressBook addresses;
    private final SessionRegistry sessions;
    private final PeerAdmission admission;
    private final PeerTransport transport;
    private final SessionLifecycle lifecycle;
    // Accessed by context thread
    private int dialsInFlight;

    Dialler(Context context, NodeId self, int outboundSlots, AddressBook addresses, SessionRegistry sessions,
            PeerAdmission admission, PeerTransport transport, SessionLifecycle lifecycle) {
        this.context = context;
        this.self = self;
        this.outboundSlots = outboundSlots;
        this.addresses = addresses;
        this.sessions = sessions;
        this.admission = admission;
        this.transport = transport;
        this.lifecycle = lifecycle;
    }

    /** Every {@link #DIAL_INTERVAL_MS}: dials what is due, within the outbound slots and the in-flight limit. */
    void dialDue() {
        assert ContextCheck.inThread(context);
        if (admission.isClosed()) {
            return;
        }
        long now = System.currentTimeMillis();
        int outbound = sessions.outboundCount();
        java.util.Set<String> groups = sessions.outboundNetgroups();
        for (AddressBook.KnownPeer k : addresses.all()) {
            if (dialsInFlight >= MAX_DIALS_IN_FLIGHT) {
                return;
            }
            if (!k.fixed() && (outbound + dialsInFlight >= outboundSlots
                    || (!NetAddress.isPrivate(k.host) && groups.contains(NetAddress.netgroup(k.host))))) {
                continue;
            }
            if (k.dialling || k.nextAttemptMs > now
                    || k.leadsTo(id -> sessions.contains(id) || id.equals(self) || admission.refuses(id))) {
                continue;
            }
            if (!k.fixed()) {
                groups.add(NetAddress.netgroup(k.host)); // one dial per group at a time, too
            }
            dial(k);
        }
    }

    private void dial(AddressBook.KnownPeer k) {
        k.dialling = true;
        dialsInFlight++;
        transport.connect(k.host, k.port).onComplete(ar -> {
            k.dialling = false;
            dialsInFlight--;
            if (ar.failed()) {
                addresses.failed(k);
                return;
            }
            NetSocket socket = ar.result();
            NodeId remote = PeerTransport.provenId(socket);
            if (remote == null || (k.expectedId != null && !k.expectedId.equals(remote))) {
                LOG.log(System.Logger.Level.WARNING, "peer at " + k.host + ":" + k.port + " proved key "
                        + (remote == null ? "none" : remote.hex()) + " but " + k.expectedId + " was expected; refused");
                PeerTransport.refuse(socket, WireMessage.Reason.WRONG_IDENTITY, "expected " + k.expectedId);
                admission.recordMisbehaviour(null, WireMessage.Reason.WRONG_IDENTITY, false);
                addresses.failed(k);
                return;
            }
            k.provenId = remote;
            if (remote.equals(self)) {
                socket.close();
                addresses.isSelf(k);
                return;
            }
            if (sessions.contains(remote) || admission.refuses(remote)) {
                socket.close();
                AddressBook.backOff(k);
                return;
            }
            lifecycle.openOutbound(socket, remote, k);
        });
    }
}
