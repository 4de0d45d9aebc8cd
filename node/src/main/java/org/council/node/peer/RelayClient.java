package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * This node as a user of relays. When its dial-backs say it cannot be dialled ({@link
 * Reachability.Status#PRIVATE}), it asks peers it dialled itself (so dialable ones) for a
 * reservation until {@link RelayConfig#reservationsWanted()} relays hold one. And it dials, through
 * a circuit, nodes that a relay announced as reachable via itself, like learned addresses: while it
 * holds fewer outbound sessions than its outbound slots, with backoff after failures. The session
 * over a circuit is an ordinary TLS session to the target's key, tagged relayed. Confined to the
 * peer context.
 */
final class RelayClient {

    /** Targets known through relays, at most; further announcements are ignored until some go. */
    static final int MAX_KNOWN = 256;
    /** Failed circuits in a row after which a target is forgotten (as the address book forgets addresses). */
    static final int MAX_FAILURES = 5;
    private static final System.Logger LOG = System.getLogger(RelayClient.class.getName());
    /** A peer that refused a reservation is asked again after this long (it may have become a relay since). */
    static final long ASK_AGAIN_MS = 10_000;

    private static final class Via {
        final NodeId relay;
        int failures;
        long nextAttemptMs;
        boolean dialling;

        Via(NodeId relay) {
            this.relay = relay;
        }
    }

    private final Context context;
    private final NodeId self;
    private final RelayConfig config;
    private final Reachability reachability;
    private final SessionRegistry sessions;
    private final PeerAdmission admission;
    private final int outboundSlots;
    private final LongSupplier millis;
    private SessionLifecycle lifecycle;
    private CircuitEnds ends;
    // Accessed by context thread (all below)
    private final Map<NodeId, SessionChannel> held = new HashMap<>();
    private final Set<SessionChannel> asked = new HashSet<>(); // asked, awaiting the answer (or held)
    private final Map<SessionChannel, Long> askAgainAt = new HashMap<>(); // refused: asked again after a while
    private final Map<NodeId, Via> targets = new LinkedHashMap<>();
    private volatile int heldCount;

    RelayClient(Context context, NodeId self, RelayConfig config, Reachability reachability, SessionRegistry sessions,
                PeerAdmission admission, int outboundSlots) {
        this(context, self, config, reachability, sessions, admission, outboundSlots, System::currentTimeMillis);
    }

    /** @param millis the clock of the pauses (reservation asks, circuit backoff) */
    RelayClient(Context context, NodeId self, RelayConfig config, Reachability reachability, SessionRegistry sessions,
                PeerAdmission admission, int outboundSlots, LongSupplier millis) {
        this.millis = millis;
        this.context = context;
        this.self = self;
        this.config = config;
        this.reachability = reachability;
        this.sessions = sessions;
        this.admission = admission;
        this.outboundSlots = outboundSlots;
    }

    /** The parts built after this one (they need the protocols, which need this). */
    void wire(SessionLifecycle l, CircuitEnds e) {
        this.lifecycle = l;
        this.ends = e;
    }

    /** Whether this node holds a reservation on {@code relay} (so takes circuits it offers). */
    boolean holds(NodeId relay) {
        return held.containsKey(relay);
    }

    /** A relay's answer to our reservation request. */
    void reservation(SessionChannel s, WireMessage.RelayReservation r) {
        if (!asked.contains(s) || held.containsKey(s.remote())) {
            return;
        }
        if (!r.accepted()) {
            // a relay that has not yet learned that it is dialable refuses; so does one that is full, or
            // a peer with relaying off. It no longer counts as awaited, so the next tick asks another.
            asked.remove(s);
            askAgainAt.put(s, millis.getAsLong() + ASK_AGAIN_MS);
        } else {
            held.put(s.remote(), s);
            heldCount = held.size();
            LOG.log(System.Logger.Level.INFO, "reserved on relay " + s.remote().shortHex() + ": " + r.maxCircuits()
                    + " circuits of " + r.maxCircuitBytes() + " bytes, " + r.maxCircuitSeconds() + " s");
        }
    }

    /** A peer list entry "reachable via the sender". */
    void learned(SessionChannel relay, NodeId target) {
        if (target.equals(self) || RelayProtocol.relayed(relay)) {
            return;
        }
        Via v = targets.get(target);
        if (v == null && targets.size() < MAX_KNOWN) {
            targets.put(target, new Via(relay.remote()));
        } else if (v != null && !v.dialling && !v.relay.equals(relay.remote())) {
            targets.put(target, new Via(relay.remote())); // the latest relay to announce it
        }
    }

    /** How many targets reachable through relays this node remembers (at most {@link #MAX_KNOWN}). */
    int knownTargets() {
        return targets.size();
    }

    void sessionClosed(SessionChannel s) {
        asked.remove(s);
        askAgainAt.remove(s);
        if (held.remove(s.remote(), s)) {
            heldCount = held.size();
        }
        targets.values().removeIf(v -> v.relay.equals(s.remote()) && !v.dialling); // announced by a relay now gone
    }

    /** Periodically: reserve while not dialable, and dial targets through their relays. */
    void tick() {
        assert ContextCheck.inThread(context);
        if (admission.isClosed()) {
            return;
        }
        if (reachability.status() == Reachability.Status.PRIVATE) {
            askReservations(sessions.all().stream()
                    .filter(s -> s.outbound() && !s.relayed() && !s.isClosed() && sessions.isRegistered(s)).toList());
        }
        long now = millis.getAsLong();
        int outbound = sessions.outboundCount();
        for (Map.Entry<NodeId, Via> t : targets.entrySet()) {
            Via v = t.getValue();
            if (outbound >= outboundSlots) {
                return;
            }
            NodeId target = t.getKey();
            if (v.dialling || v.nextAttemptMs > now || sessions.contains(target) || admission.refuses(target)) {
                continue;
            }
            PeerSession relay = sessions.find(v.relay).filter(s -> sessions.isRegistered(s) && !s.isClosed())
                    .orElse(null);
            if (relay == null) {
                continue;
            }
            outbound++;
            dial(relay, target, v);
        }
    }

    /**
     * Asks peers among {@code dialled} (sessions this node opened, so dialable peers) for a
     * reservation until held plus awaited answers reach {@link RelayConfig#reservationsWanted()}.
     * A peer that refused is passed over for {@link #ASK_AGAIN_MS}: peers with relaying off must
     * not keep a relay further down the list from being asked.
     */
    void askReservations(List<? extends SessionChannel> dialled) {
        assert ContextCheck.inThread(context);
        long now = millis.getAsLong();
        askAgainAt.values().removeIf(at -> at <= now);
        for (SessionChannel s : dialled) {
            if (held.size() + pendingAsks() >= config.reservationsWanted()) {
                return;
            }
            if (!askAgainAt.containsKey(s) && asked.add(s)) {
                s.send(new WireMessage.RelayReserve());
            }
        }
    }

    private int pendingAsks() {
        return (int) asked.stream().filter(s -> !held.containsKey(s.remote()) && !s.isClosed()).count();
    }

    private void dial(PeerSession relay, NodeId target, Via v) {
        v.dialling = true;
        ends.dial(relay, target).onComplete(ar -> {
            v.dialling = false;
            if (ar.failed()) {
                if (backOff(v) >= MAX_FAILURES) {
                    targets.remove(target, v);
                }
                return;
            }
            NetSocket socket = ar.result();
            NodeId proven = PeerTransport.provenId(socket);
            if (!target.equals(proven)) {
                LOG.log(System.Logger.Level.WARNING, "circuit to " + target.shortHex() + " via " + relay.remote().shortHex()
                        + " proved key " + (proven == null ? "none" : proven.shortHex()) + "; refused");
                PeerTransport.refuse(socket, WireMessage.Reason.WRONG_IDENTITY, "expected " + target);
                backOff(v);
                return;
            }
            if (sessions.contains(target) || admission.refuses(target)) {
                socket.close();
                return;
            }
            v.failures = 0;
            v.nextAttemptMs = millis.getAsLong() + 5_000; // should this session end soon, not at once again
            lifecycle.openRelayed(socket, target, true, relay.remoteHost());
        });
    }

    private int backOff(Via v) {
        v.failures = Math.min(v.failures + 1, 16);
        long base = Math.min(60_000L, 500L << Math.min(v.failures, 7));
        v.nextAttemptMs = millis.getAsLong() + (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        return v.failures;
    }

    /** Relays holding a reservation of this node. Any thread. */
    int held() {
        return heldCount;
    }
}
