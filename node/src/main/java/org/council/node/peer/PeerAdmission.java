package org.council.node.peer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Who may hold a session with this node: bans (timed, after misbehaviour; expired ones pruned, the
 * map bounded), blocks (an operator's or a test's partition), and whether the node still admits
 * anyone at all. Also counts misbehaviour by reason and admission refusals by cause. The caps that
 * count connections (pre-hello, per address, slots) are the peer context's: {@link HelloGate} and
 * {@link InboundSlots}.
 *
 * <p>Thread-safe by construction: the API, the metrics and the tests read it from their own
 * threads while the peer context writes it, so every field is a concurrent map or volatile.
 */
final class PeerAdmission {

    /** Bans kept at most: a Sybil with endless keys could otherwise grow the map one ban per connection. */
    static final int MAX_BANS = 10_000;

    private final Duration banDuration;
    private final Map<NodeId, Long> bannedUntil = new ConcurrentHashMap<>();
    private final Set<NodeId> blocked = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> misbehaviourCounts = new ConcurrentHashMap<>();
    private final Map<String, Integer> refusalCounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PeerAdmission(Duration banDuration) {
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

    /** Why an inbound connection from {@code remote} is refused at once (banned, blocked, stopping). */
    Optional<Refusal> refuseInbound(NodeId remote) {
        if (refuses(remote)) {
            return Optional.of(new Refusal(WireMessage.Reason.BANNED, "refused"));
        }
        return Optional.empty();
    }

    /** Counts a connection or session refused or ended by an admission rule ({@code cause}: a stable name). */
    void recordRefusal(String cause) {
        refusalCounts.merge(cause, 1, Integer::sum);
    }

    /** Admission refusals by cause (hello_timeout, pending_cap, address_cap, netgroup_cap, inbound_full, evicted). */
    Map<String, Integer> refusalCounts() {
        return Map.copyOf(refusalCounts);
    }

    /** Drops expired bans; when still over {@link #MAX_BANS}, the ones that expire first. Any thread. */
    void pruneBans() {
        long now = System.currentTimeMillis();
        bannedUntil.values().removeIf(until -> until <= now);
        int excess = bannedUntil.size() - MAX_BANS;
        if (excess > 0) {
            bannedUntil.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(excess).map(Map.Entry::getKey)
                    .toList().forEach(bannedUntil::remove);
        }
    }

    /** Bans held now, expired ones included until the next prune. */
    int banCount() {
        return bannedUntil.size();
    }

    /** Counts a misbehaviour; with {@code ban}, refuses the peer for the configured ban duration. */
    void recordMisbehaviour(NodeId peer, WireMessage.Reason reason, boolean ban) {
        misbehaviourCounts.merge(reason.name(), 1, Integer::sum);
        if (ban && peer != null) {
            bannedUntil.put(peer, System.currentTimeMillis() + banDuration.toMillis());
            if (bannedUntil.size() > MAX_BANS) {
                pruneBans();
            }
        }
    }

    /** How often each kind of misbehaviour led to a disconnect: an immutable snapshot. */
    Map<String, Integer> misbehaviourCounts() {
        return Map.copyOf(misbehaviourCounts);
    }
}
