package org.council.node.peer;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Addresses this node may dial, after Bitcoin Core's addrman, so that no stranger can fill it:
 * <ul>
 *   <li><b>fixed</b>: anchors (saved outbound peers, dialled first, tried once) and configured seeds
 *       (kept and re-dialled with backoff); an id given with them is enforced;</li>
 *   <li><b>new</b>: addresses learned from peer exchange, LAN discovery and inbound peers' hellos, in
 *       {@value #NEW_BUCKETS} buckets of {@value #BUCKET_SIZE}. The netgroup of the <em>source</em> that told
 *       us picks one of only {@value #BUCKETS_PER_SOURCE} buckets (keyed by a per-node secret), so one
 *       source fills at most {@value #BUCKETS_PER_SOURCE} × {@value #BUCKET_SIZE} entries; a full bucket
 *       drops its most failed, then oldest, entry; an entry failing {@value #MAX_FAILURES} dials in a row goes;</li>
 *   <li><b>tried</b>: addresses where a dial reached a peer that completed hello (bounded to
 *       {@value #MAX_TRIED}, least recently working first out). Only these (and fixed ones that worked)
 *       are told to other peers.</li>
 * </ul>
 * The node id a source claims for an address is never trusted: the dial learns the key from TLS,
 * so a lie costs one dial and cannot make a real peer unreachable. Loopback and private addresses
 * told by remote peers are dropped unless {@code dialPrivate}. Only IP literals are kept from
 * strangers (no DNS lookups on their behalf). Confined to the peer context; every entry point asserts it.
 */
final class AddressBook {

    static final int NEW_BUCKETS = 64;
    static final int BUCKET_SIZE = 16;
    static final int BUCKETS_PER_SOURCE = 4;
    static final int MAX_TRIED = 256;
    static final int MAX_FAILURES = 5;
    /** Addresses read from one peer-list message; the rest is ignored. */
    static final int MAX_PER_MESSAGE = 64;

    enum Kind { ANCHOR, SEED, LEARNED }

    /** A peer address this node may dial. Accessed by context thread. */
    static final class KnownPeer {
        final String host;
        final int port;
        final Kind kind;
        /** The key the operator (seed) or a previous session (anchor) vouches for; null for learned addresses. */
        final NodeId expectedId;
        /** Who announced this as its own listen address (an inbound peer's hello): a hint, never enforced. */
        NodeId hintId;
        /** The key TLS proved at this address last time. */
        NodeId provenId;
        final long addedMs = System.currentTimeMillis();
        long lastSuccessMs;
        int failures;
        long nextAttemptMs;
        boolean dialling;

        KnownPeer(String host, int port, NodeId expectedId, Kind kind) {
            this.host = host;
            this.port = port;
            this.expectedId = expectedId;
            this.kind = kind;
        }

        String key() {
            return host + ":" + port;
        }

        boolean fixed() {
            return kind != Kind.LEARNED;
        }

        /** True when the peer this address leads to is known and {@code test} holds for it. */
        boolean leadsTo(Predicate<NodeId> test) {
            return (expectedId != null && test.test(expectedId)) || (provenId != null && test.test(provenId))
                    || (hintId != null && test.test(hintId));
        }
    }

    private final Context context;
    private final boolean dialPrivate;
    private final long secret = ThreadLocalRandom.current().nextLong();
    // Accessed by context thread (all below)
    private final Map<String, KnownPeer> fixed = new LinkedHashMap<>();
    private final List<LinkedHashMap<String, KnownPeer>> buckets = new ArrayList<>();
    private final Map<String, Integer> bucketOf = new HashMap<>();
    private final LinkedHashMap<String, KnownPeer> tried = new LinkedHashMap<>();

    AddressBook(Context context, boolean dialPrivate) {
        this.context = context;
        this.dialPrivate = dialPrivate;
        for (int i = 0; i < NEW_BUCKETS; i++) {
            buckets.add(new LinkedHashMap<>());
        }
    }

    /** Adds a seed, or makes a known one due at once. */
    void addSeed(SeedAddress a) {
        addFixed(a, Kind.SEED);
    }

    /** Adds an anchor (dialled once, before anything else). */
    void addAnchor(SeedAddress a) {
        addFixed(a, Kind.ANCHOR);
    }

    private void addFixed(SeedAddress a, Kind kind) {
        assert ContextCheck.inThread(context);
        forget(a.hostPort());
        fixed.merge(a.hostPort(), new KnownPeer(a.host(), a.port(), a.expectedId(), kind), (old, neu) -> {
            old.nextAttemptMs = 0;
            return old;
        });
    }

    /**
     * Remembers addresses {@code source} told us (peer exchange from a peer at that host, or LAN
     * discovery when {@code local}). Claimed ids are ignored; bounded by the source's buckets.
     */
    void learn(List<WireMessage.PeerAddress> peers, String source, boolean local) {
        assert ContextCheck.inThread(context);
        String sourceGroup = NetAddress.netgroup(source);
        for (WireMessage.PeerAddress p : peers.subList(0, Math.min(peers.size(), MAX_PER_MESSAGE))) {
            add(p.host(), p.port(), sourceGroup, local);
        }
    }

    /** A peer with a session told us where it listens: a learned address with the peer as its source. */
    void connected(NodeId peer, String host, int listenPort) {
        assert ContextCheck.inThread(context);
        String key = host + ":" + listenPort;
        KnownPeer k = fixed.containsKey(key) ? fixed.get(key) : tried.get(key);
        if (k == null) {
            k = add(host, listenPort, NetAddress.netgroup(host), false).orElse(null);
        }
        if (k != null) {
            k.hintId = peer;
        }
    }

    private Optional<KnownPeer> add(String host, int port, String sourceGroup, boolean local) {
        if (port < 1 || port > 65535 || NetAddress.literal(host) == null
                || (!dialPrivate && !local && NetAddress.isPrivate(host))) {
            return Optional.empty();
        }
        String key = host + ":" + port;
        if (fixed.containsKey(key) || tried.containsKey(key)) {
            return Optional.empty();
        }
        Integer existing = bucketOf.get(key);
        if (existing != null) {
            return Optional.of(buckets.get(existing).get(key));
        }
        int b = bucket(sourceGroup, NetAddress.netgroup(host));
        LinkedHashMap<String, KnownPeer> bucket = buckets.get(b);
        if (bucket.size() >= BUCKET_SIZE) {
            bucket.values().stream().filter(k -> !k.dialling)
                    .max(Comparator.<KnownPeer>comparingInt(k -> k.failures).thenComparingLong(k -> -k.addedMs))
                    .ifPresent(victim -> forget(victim.key()));
            if (bucket.size() >= BUCKET_SIZE) {
                return Optional.empty();
            }
        }
        KnownPeer k = new KnownPeer(host, port, null, Kind.LEARNED);
        bucket.put(key, k);
        bucketOf.put(key, b);
        return Optional.of(k);
    }

    /** The source's netgroup picks one of {@link #BUCKETS_PER_SOURCE} buckets; the address's netgroup which one. */
    private int bucket(String sourceGroup, String addressGroup) {
        long slot = Math.floorMod(mix(secret ^ addressGroup.hashCode()), BUCKETS_PER_SOURCE);
        return (int) Math.floorMod(mix(secret + 31L * sourceGroup.hashCode() + slot), (long) NEW_BUCKETS);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private void forget(String key) {
        Integer b = bucketOf.remove(key);
        if (b != null) {
            buckets.get(b).remove(key);
        }
    }

    /** A dial of {@code k} reached {@code peer} and it completed hello: the address works. */
    void worked(KnownPeer k, NodeId peer) {
        assert ContextCheck.inThread(context);
        k.provenId = peer;
        k.failures = 0;
        k.lastSuccessMs = System.currentTimeMillis();
        if (!k.fixed()) {
            forget(k.key());
            tried.remove(k.key());
            tried.put(k.key(), k);
            if (tried.size() > MAX_TRIED) {
                tried.remove(tried.keySet().iterator().next());
            }
        }
    }

    /** A dial of {@code k} failed: back off; anchors are tried once, learned addresses {@link #MAX_FAILURES} times. */
    void failed(KnownPeer k) {
        assert ContextCheck.inThread(context);
        backOff(k);
        if (k.kind == Kind.ANCHOR) {
            fixed.remove(k.key());
        } else if (!k.fixed() && k.failures >= MAX_FAILURES) {
            forget(k.key());
            tried.remove(k.key());
        }
    }

    /** A learned address turned out to be this node itself: never dial it again. */
    void isSelf(KnownPeer k) {
        assert ContextCheck.inThread(context);
        backOff(k);
        if (!k.fixed()) {
            forget(k.key());
            tried.remove(k.key());
        }
    }

    /** The session with {@code peer} ended: wait before dialling it again. */
    void disconnected(NodeId peer) {
        assert ContextCheck.inThread(context);
        all().stream().filter(k -> k.leadsTo(peer::equals)).forEach(AddressBook::backOff);
    }

    /** Makes {@code peer}'s addresses due at once (after a block is lifted). */
    void reset(NodeId peer) {
        assert ContextCheck.inThread(context);
        all().stream().filter(k -> k.leadsTo(peer::equals)).forEach(k -> {
            k.failures = 0;
            k.nextAttemptMs = 0;
        });
    }

    /** Every address in dialling order: anchors, seeds, working ones (most recent first), then learned ones shuffled. */
    List<KnownPeer> all() {
        assert ContextCheck.inThread(context);
        List<KnownPeer> out = new ArrayList<>(fixed.values());
        List<KnownPeer> working = new ArrayList<>(tried.values());
        Collections.reverse(working);
        out.addAll(working);
        List<KnownPeer> learned = new ArrayList<>();
        buckets.forEach(b -> learned.addAll(b.values()));
        Collections.shuffle(learned, ThreadLocalRandom.current());
        out.addAll(learned);
        return out;
    }

    /** Addresses seen to work, for peer exchange: most recently working first, never {@code except}'s. */
    List<WireMessage.PeerAddress> shareable(NodeId except, int max) {
        assert ContextCheck.inThread(context);
        List<KnownPeer> working = new ArrayList<>(tried.values());
        fixed.values().stream().filter(k -> k.lastSuccessMs > 0).forEach(working::add);
        working.sort(Comparator.comparingLong((KnownPeer k) -> k.lastSuccessMs).reversed());
        return working.stream().filter(k -> k.provenId != null && !k.provenId.equals(except)
                        && NetAddress.literal(k.host) != null)
                .limit(max).map(k -> new WireMessage.PeerAddress(k.provenId, k.host, k.port)).toList();
    }

    /** Up to {@code max} working outbound addresses of peers in {@code connected}: the anchors to save. */
    List<String> anchors(Set<NodeId> connected, int max) {
        assert ContextCheck.inThread(context);
        List<KnownPeer> working = new ArrayList<>(tried.values());
        fixed.values().stream().filter(k -> k.lastSuccessMs > 0).forEach(working::add);
        working.sort(Comparator.comparingLong((KnownPeer k) -> k.lastSuccessMs).reversed());
        return working.stream().filter(k -> k.provenId != null && connected.contains(k.provenId))
                .limit(max).map(k -> k.provenId.hex() + "@" + k.key()).toList();
    }

    int size() {
        assert ContextCheck.inThread(context);
        return fixed.size() + tried.size() + bucketOf.size();
    }

    /** Exponential backoff with jitter, capped at a minute. */
    static void backOff(KnownPeer k) {
        k.failures = Math.min(k.failures + 1, 16);
        long base = Math.min(60_000L, 500L << Math.min(k.failures, 7));
        long jitter = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        k.nextAttemptMs = System.currentTimeMillis() + jitter;
    }
}
