package org.council.node.peer;

import io.vertx.core.Context;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Inbound sessions and their slots: at most {@link PeerConfig#inboundSlots()} at once, at most
 * {@code maxInboundPerAddress} per host and {@code maxInboundPerNetgroup} per netgroup. When the
 * slots are full a newcomer takes the place of the least valuable inbound peer ({@link Eviction})
 * instead of everyone new being refused; outbound sessions are never counted here, so nothing that
 * connects to this node can take the peers it chose. Also remembers when each session last did
 * useful work, for eviction. Confined to the peer context.
 */
final class InboundSlots {

    /** The refusal's cause when the address already holds its sessions (the host pays for it: {@link HelloGate#refusedAtCap}). */
    static final String ADDRESS_CAP = "address_cap";

    /** What to do with an inbound session that said hello. */
    sealed interface Decision {
        record Admit() implements Decision {
        }

        /** Admit after evicting {@code victim}. */
        record Evict(PeerSession victim) implements Decision {
        }

        /** @param cause a stable name for the counters; @param detail for the goodbye */
        record Refuse(String cause, String detail) implements Decision {
        }
    }

    private record Slot(String hostKey, String netgroup, long connectedAt) {
    }

    private final Context context;
    private final int slots;
    private final PeerConfig.Admission limits;
    private final long secret = ThreadLocalRandom.current().nextLong();
    // Accessed by context thread
    private final Map<PeerSession, Slot> inbound = new IdentityHashMap<>();
    // Accessed by context thread
    private final Map<SessionChannel, Long> lastUseful = new IdentityHashMap<>();

    InboundSlots(Context context, int slots, PeerConfig.Admission limits) {
        this.context = context;
        this.slots = slots;
        this.limits = limits;
    }

    Decision decide(String host) {
        assert ContextCheck.inThread(context);
        String hostKey = NetAddress.hostKey(host);
        String group = NetAddress.netgroup(host);
        if (inbound.values().stream().filter(s -> s.hostKey().equals(hostKey)).count() >= limits.maxInboundPerAddress()) {
            return new Decision.Refuse(ADDRESS_CAP, "too many sessions from your address");
        }
        if (inbound.values().stream().filter(s -> s.netgroup().equals(group)).count() >= limits.maxInboundPerNetgroup()) {
            return new Decision.Refuse("netgroup_cap", "too many sessions from your network");
        }
        if (inbound.size() < slots) {
            return new Decision.Admit();
        }
        List<Eviction.Candidate<PeerSession>> candidates = inbound.entrySet().stream()
                .map(e -> new Eviction.Candidate<>(e.getKey(), e.getValue().netgroup(), e.getValue().connectedAt(),
                        lastUseful.getOrDefault(e.getKey(), 0L)))
                .toList();
        Optional<PeerSession> victim = Eviction.select(candidates, secret);
        return victim.<Decision>map(Decision.Evict::new)
                .orElseGet(() -> new Decision.Refuse("inbound_full", "this node is at its connection limit"));
    }

    void add(PeerSession s) {
        assert ContextCheck.inThread(context);
        inbound.put(s, new Slot(NetAddress.hostKey(s.remoteHost()), NetAddress.netgroup(s.remoteHost()), System.nanoTime()));
    }

    void remove(PeerSession s) {
        assert ContextCheck.inThread(context);
        inbound.remove(s);
        lastUseful.remove(s);
    }

    /** {@code s} just delivered useful work (events, an inference result). */
    void useful(SessionChannel s) {
        assert ContextCheck.inThread(context);
        if (s instanceof PeerSession p && inbound.containsKey(p)) {
            lastUseful.put(s, System.nanoTime());
        }
    }

    int size() {
        assert ContextCheck.inThread(context);
        return inbound.size();
    }
}
