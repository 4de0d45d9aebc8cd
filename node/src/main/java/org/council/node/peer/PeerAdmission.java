package org.council.node.peer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Who may hold a session with this node: bans (timed, after misbehaviour), blocks (an operator's
 * or a test's partition), the connection cap, and whether the node still admits anyone at all.
 * Also counts misbehaviour by reason.
 *
 * <p>Thread-safe by construction: the API, the metrics and the tests read it from their own
 * threads while the peer context writes it, so every field is a concurrent map or volatile.
 */
final class PeerAdmission {

    private final int maxConnections;
    private final Duration banDuration;
    private final Map<NodeId, Long> bannedUntil = new ConcurrentHashMap<>();
    private final Set<NodeId> blocked = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> misbehaviourCounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PeerAdmission(int maxConnections, Duration banDuration) {
        this.maxConnections = maxConnections;
        this.banDuration = banDuration;
    }

    /** Admits no one from now on (the node is stopping). */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isBanned(NodeId id) {
        Long until = bannedUntil.get(id);
        return until != null && until > System.currentTimeMillis();
    }

    void block(NodeId peer) {
        blocked.add(peer);
    }

    void unblock(NodeId peer) {
        blocked.remove(peer);
    }

    /** True when no session with {@code peer} may start or go on: stopping, banned or blocked. */
    boolean refuses(NodeId peer) {
        return closed || isBanned(peer) || blocked.contains(peer);
    }

    /** Why a connection is refused, as the goodbye that tells the peer. */
    record Refusal(WireMessage.Reason reason, String detail) {
    }

    /** Why an inbound connection from {@code remote} is refused, when this node already holds {@code sessions}. */
    Optional<Refusal> refuseInbound(NodeId remote, int sessions) {
        if (refuses(remote)) {
            return Optional.of(new Refusal(WireMessage.Reason.BANNED, "refused"));
        }
        if (sessions >= maxConnections) {
            return Optional.of(new Refusal(WireMessage.Reason.TOO_MANY_PEERS, "this node is at its connection limit"));
        }
        return Optional.empty();
    }

    /** Counts a misbehaviour; with {@code ban}, refuses the peer for the configured ban duration. */
    void recordMisbehaviour(NodeId peer, WireMessage.Reason reason, boolean ban) {
        misbehaviourCounts.merge(reason.name(), 1, Integer::sum);
        if (ban && peer != null) {
            bannedUntil.put(peer, System.currentTimeMillis() + banDuration.toMillis());
        }
    }

    /** How often each kind of misbehaviour led to a disconnect: an immutable snapshot. */
    Map<String, Integer> misbehaviourCounts() {
        return Map.copyOf(misbehaviourCounts);
    }
}
