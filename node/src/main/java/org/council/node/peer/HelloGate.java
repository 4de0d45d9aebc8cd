package org.council.node.peer;

import io.vertx.core.Context;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Connections not yet past hello: each has a deadline, and inbound ones are capped in total and per
 * remote host ({@link NetAddress#hostKey}) from the moment TCP accepts them, before any TLS, so a
 * stranger cannot hold file descriptors and buffers by connecting and saying nothing, nor make this
 * node run handshakes beyond the caps. Each host also has a token bucket of handshakes (checked
 * before TLS: a handshake costs the node a key exchange and signature checks) from which a ban of
 * one of its identities takes more: keys are free, so the host pays for its bans. (During TLS,
 * Vert.x's SSL handshake timeout, set to the same deadline, bounds a connection.) Confined to the
 * peer context; {@link #pendingInbound()} is a volatile view for any thread.
 */
final class HelloGate {

    /** Hosts whose handshake bucket is remembered; a flood of addresses beyond makes it forget the fullest. */
    static final int MAX_HOSTS = 4_096;

    private record Waiting(String hostKey, boolean inbound, long timer) {
    }

    private final Context context;
    private final PeerConfig.Admission limits;
    // Accessed by context thread
    private final Map<PeerSession, Waiting> waiting = new IdentityHashMap<>();
    // Accessed by context thread
    private final Map<String, Integer> perHost = new HashMap<>();
    /** A host's handshake tokens (below zero after a ban) as of {@code at} (nanos). */
    private static final class Bucket {
        double tokens;
        long at;
        long lastBan; // nanos of the last ban of one of the host's identities; 0: none

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    // Accessed by context thread: per host key
    private final Map<String, Bucket> handshakes = new HashMap<>();
    private final LongSupplier nanos;
    private volatile int pendingInbound;
    private volatile int highWater;

    HelloGate(Context context, PeerConfig.Admission limits) {
        this(context, limits, System::nanoTime);
    }

    HelloGate(Context context, PeerConfig.Admission limits, LongSupplier nanos) {
        this.context = context;
        this.limits = limits;
        this.nanos = nanos;
    }

    /**
     * TCP accepted a connection from {@code host}, before TLS: why it must be closed now (an
     * admission cause), or empty: then it counts as waiting until {@link #handshaken}.
     */
    Optional<String> arrive(String host) {
        assert ContextCheck.inThread(context);
        Optional<String> full = refuse(host);
        if (full.isPresent()) {
            return full;
        }
        String key = NetAddress.hostKey(host);
        Bucket b = bucket(key);
        if (b.tokens < 1) {
            return Optional.of("handshake_rate"); // costs nothing more: a refused host's debt stays bounded
        }
        b.tokens -= 1;
        count(key);
        return Optional.empty();
    }

    /** The TLS handshake of a connection that {@link #arrive}d from {@code host} ended (either way). */
    void handshaken(String host) {
        assert ContextCheck.inThread(context);
        uncount(NetAddress.hostKey(host));
    }

    /** An identity connected from {@code host} was banned: the host's handshake bucket pays, and its probation starts. */
    void banned(String host) {
        assert ContextCheck.inThread(context);
        Bucket b = bucket(NetAddress.hostKey(host));
        b.tokens -= limits.banHandshakeCost();
        b.lastBan = nanos.getAsLong();
    }

    /**
     * A connection from {@code host} was refused after its handshake because the host holds its cap
     * of sessions: the host pays as for a ban (a fresh key per try is free, the handshake is not),
     * without probation (the sessions it holds may be honest neighbours behind one NAT).
     */
    void refusedAtCap(String host) {
        assert ContextCheck.inThread(context);
        bucket(NetAddress.hostKey(host)).tokens -= limits.banHandshakeCost();
    }

    /**
     * Whether {@code host} had an identity banned within {@link PeerConfig.Admission#banProbation()}:
     * its sessions are then served no history ({@link ServeTurns}). A fresh identity per round is
     * free, and each would otherwise be served the whole ledger until its own ban.
     */
    boolean onProbation(String host) {
        assert ContextCheck.inThread(context);
        if (host == null || limits.banProbation().isZero()) {
            return false;
        }
        Bucket b = handshakes.get(NetAddress.hostKey(host));
        return b != null && b.lastBan != 0 && nanos.getAsLong() - b.lastBan < limits.banProbation().toNanos();
    }

    /** The host's bucket, refilled up to now (tokens below zero after bans). */
    private Bucket bucket(String key) {
        long now = nanos.getAsLong();
        if (!handshakes.containsKey(key) && handshakes.size() >= MAX_HOSTS) {
            prune(now);
        }
        Bucket b = handshakes.computeIfAbsent(key, k -> new Bucket(limits.handshakeBurst(), now));
        b.tokens = Math.min(limits.handshakeBurst(), b.tokens + (now - b.at) * limits.handshakesPerMinute() / 60e9);
        b.at = now;
        return b;
    }

    /** Forgets hosts whose bucket is full again; if still too many, those with the most tokens. */
    private void prune(long now) {
        double perNano = limits.handshakesPerMinute() / 60e9;
        long probation = limits.banProbation().toNanos();
        handshakes.values().removeIf(b -> b.tokens + (now - b.at) * perNano >= limits.handshakeBurst()
                && (b.lastBan == 0 || now - b.lastBan >= probation));
        int excess = handshakes.size() - MAX_HOSTS / 2;
        if (excess > 0) {
            handshakes.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue().tokens, x.getValue().tokens))
                    .limit(excess).map(Map.Entry::getKey).toList().forEach(handshakes::remove);
        }
    }

    /** Why a new inbound connection from {@code host} must be closed now, as an admission cause; empty to let it wait. */
    Optional<String> refuse(String host) {
        assert ContextCheck.inThread(context);
        if (pendingInbound >= limits.maxPending()) {
            return Optional.of("pending_cap");
        }
        if (perHost.getOrDefault(NetAddress.hostKey(host), 0) >= limits.maxPendingPerAddress()) {
            return Optional.of("pending_address_cap");
        }
        return Optional.empty();
    }

    /** {@code s} waits for hello; {@code onTimeout} runs if it still does at the deadline. */
    void enter(PeerSession s, String host, boolean inbound, Runnable onTimeout) {
        assert ContextCheck.inThread(context);
        long timer = context.owner().setTimer(limits.helloTimeout().toMillis(), id -> {
            if (waiting.containsKey(s)) {
                onTimeout.run();
            }
        });
        String key = NetAddress.hostKey(host);
        waiting.put(s, new Waiting(key, inbound, timer));
        if (inbound) {
            count(key);
        }
    }

    private void count(String key) {
        perHost.merge(key, 1, Integer::sum);
        pendingInbound++;
        highWater = Math.max(highWater, pendingInbound);
    }

    private void uncount(String key) {
        perHost.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        pendingInbound--;
    }

    /** {@code s} said hello or is closing: it no longer waits. */
    void leave(PeerSession s) {
        assert ContextCheck.inThread(context);
        Waiting w = waiting.remove(s);
        if (w == null) {
            return;
        }
        context.owner().cancelTimer(w.timer());
        if (w.inbound()) {
            uncount(w.hostKey());
        }
    }

    /** Inbound connections waiting for hello now; any thread. */
    int pendingInbound() {
        return pendingInbound;
    }

    /** The most inbound connections that ever waited for hello at once; any thread. */
    int highWater() {
        return highWater;
    }
}
