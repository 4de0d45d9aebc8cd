package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>With a replication scope, free outbound slots go first to scope neighbours no session covers
 * ({@link ScopeDials}: nearest first, within its dials a minute, the netgroup rule still applying),
 * at an address that proved or claimed their id; and up to {@link ScopeDials.Limits#catchUpSessions()}
 * catch-up sessions beyond the outbound slots go to uncovered scope neighbours, nearest first, each closed once it
 * has brought this node what the peer holds of its scope, or after {@link ScopeDials#CATCH_UP_TIMEOUT_MS}
 * (like Bitcoin Core's feeler: short, bounded, and never taking an outbound slot).
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
    private final ReplicationProtocol replication;
    // Accessed by context thread (all below)
    private final ScopeDials scopeDials;
    /** Catch-up sessions, dialled or open, and when each closes at the latest. */
    private final Map<NodeId, Long> catchUps = new HashMap<>();
    private int dialsInFlight;

    Dialler(Context context, NodeId self, PeerConfig config, AddressBook addresses, SessionRegistry sessions,
            PeerAdmission admission, PeerTransport transport, SessionLifecycle lifecycle,
            ReplicationProtocol replication) {
        this.context = context;
        this.self = self;
        this.outboundSlots = config.targetConnections();
        this.replication = replication;
        this.scopeDials = new ScopeDials(config.replication().dials());
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
        closeCatchUps(now);
        int outbound = sessions.outboundCount() - (int) catchUps.keySet().stream()
                .filter(id -> sessions.find(id).filter(PeerSession::outbound).isPresent()).count(); // not a slot
        java.util.Set<String> groups = sessions.outboundNetgroups();
        List<AddressBook.KnownPeer> all = addresses.all();
        if (replication.scope().size() > 0) {
            dialScope(all, now, outboundSlots - outbound - dialsInFlight, Integer.MAX_VALUE, groups, false);
            if (catchUps.size() < scopeDials.limits().catchUpSessions()) {
                dialScope(all, now, 1, ScopeDials.CATCH_UP_MAX_HOPS, groups, true);
            }
        }
        for (AddressBook.KnownPeer k : all) {
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

    /**
     * Dials up to {@code free} uncovered scope neighbours within {@code maxHops} that have a due
     * address (a catch-up beyond the slots when {@code catchUp}); returns how many it dialled.
     */
    private int dialScope(List<AddressBook.KnownPeer> all, long now, int free, int maxHops, Set<String> groups,
                          boolean catchUp) {
        if (free <= 0 || dialsInFlight >= MAX_DIALS_IN_FLIGHT) {
            return 0;
        }
        Set<NodeId> reachable = new java.util.HashSet<>(); // ids with an address due now: the others are no candidates
        for (AddressBook.KnownPeer a : all) {
            if (!a.dialling && a.nextAttemptMs <= now) {
                java.util.stream.Stream.of(a.expectedId, a.provenId, a.hintId).filter(java.util.Objects::nonNull)
                        .forEach(reachable::add);
            }
        }
        List<NodeId> wanted = scopeDials.next(replication.scope(), id -> replication.held(id), id -> !reachable.contains(id)
                || sessions.contains(id) || replication.offered(id) || catchUps.containsKey(id), maxHops, now, free);
        int dialled = 0;
        for (NodeId id : wanted) {
            if (dialsInFlight >= MAX_DIALS_IN_FLIGHT || admission.refuses(id)) {
                continue;
            }
            AddressBook.KnownPeer k = all.stream().filter(a -> !a.dialling && a.nextAttemptMs <= now && a.leadsTo(id::equals)
                    && (catchUp || a.fixed() || NetAddress.isPrivate(a.host) || !groups.contains(NetAddress.netgroup(a.host))))
                    .findFirst().orElse(null);
            if (k == null) {
                continue; // its addresses are in netgroups already dialled: not a try, no token spent
            }
            scopeDials.tried(id, now);
            if (catchUp) {
                catchUps.put(id, now + ScopeDials.CATCH_UP_TIMEOUT_MS);
            } else if (!k.fixed()) {
                groups.add(NetAddress.netgroup(k.host));
            }
            dial(k);
            dialled++;
        }
        return dialled;
    }

    /** Ends catch-up sessions that brought what their peer holds, or whose time is up (dialled or open). */
    private void closeCatchUps(long now) {
        catchUps.entrySet().removeIf(e -> {
            Optional<PeerSession> s = sessions.find(e.getKey());
            boolean done = now >= e.getValue() || (s.isPresent() && s.get().outbound() && replication.caughtUp(s.get()));
            if (done) {
                s.filter(PeerSession::outbound).ifPresent(x -> x.goodbye(WireMessage.Reason.UNSPECIFIED, "caught up"));
            }
            return done;
        });
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
