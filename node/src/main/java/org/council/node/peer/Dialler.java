package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Dials the address book's due addresses until the node holds its target number of connections,
 * a few dials at a time, backing off (with jitter) from addresses that fail or prove another key
 * than expected. Confined to the peer context.
 */
final class Dialler {

    static final long DIAL_INTERVAL_MS = 250;
    private static final int MAX_DIALS_IN_FLIGHT = 4;
    private static final System.Logger LOG = System.getLogger(Dialler.class.getName());

    private final Context context;
    private final NodeId self;
    private final int targetConnections;
    private final AddressBook addresses;
    private final SessionRegistry sessions;
    private final PeerAdmission admission;
    private final PeerTransport transport;
    private final SessionLifecycle lifecycle;
    // Accessed by context thread
    private int dialsInFlight;

    Dialler(Context context, NodeId self, int targetConnections, AddressBook addresses, SessionRegistry sessions,
            PeerAdmission admission, PeerTransport transport, SessionLifecycle lifecycle) {
        this.context = context;
        this.self = self;
        this.targetConnections = targetConnections;
        this.addresses = addresses;
        this.sessions = sessions;
        this.admission = admission;
        this.transport = transport;
        this.lifecycle = lifecycle;
    }

    /** Every {@link #DIAL_INTERVAL_MS}: dials what is due, within the target and the in-flight limit. */
    void dialDue() {
        assert ContextCheck.inThread(context);
        if (admission.isClosed()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (AddressBook.KnownPeer k : addresses.all()) {
            if (sessions.size() + dialsInFlight >= targetConnections || dialsInFlight >= MAX_DIALS_IN_FLIGHT) {
                return;
            }
            if (k.dialling || k.nextAttemptMs > now || (k.id != null && (sessions.contains(k.id)
                    || k.id.equals(self) || admission.refuses(k.id)))) {
                continue;
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
                AddressBook.backOff(k);
                return;
            }
            NetSocket socket = ar.result();
            NodeId remote = PeerTransport.provenId(socket);
            if (remote == null || (k.id != null && !k.id.equals(remote))) {
                LOG.log(System.Logger.Level.WARNING, "peer at " + k.host + ":" + k.port + " proved key "
                        + (remote == null ? "none" : remote.hex()) + " but " + k.id + " was expected; refused");
                PeerTransport.refuse(socket, WireMessage.Reason.WRONG_IDENTITY, "expected " + k.id);
                admission.recordMisbehaviour(null, WireMessage.Reason.WRONG_IDENTITY, false);
                AddressBook.backOff(k);
                return;
            }
            k.id = remote;
            if (remote.equals(self) || sessions.contains(remote) || admission.refuses(remote)) {
                socket.close();
                AddressBook.backOff(k);
                return;
            }
            k.failures = 0;
            lifecycle.open(socket, remote, true);
        });
    }
}
