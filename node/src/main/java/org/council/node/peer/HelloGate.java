package org.council.node.peer;

import io.vertx.core.Context;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Connections past TLS but not yet past hello: each has a deadline, and inbound ones are capped in
 * total and per remote host ({@link NetAddress#hostKey}), so a stranger cannot hold file
 * descriptors and buffers by connecting and saying nothing. (Before TLS completes, Vert.x's SSL
 * handshake timeout, set to the same deadline, bounds a connection.) Confined to the peer context;
 * {@link #pendingInbound()} is a volatile view for any thread.
 */
final class HelloGate {

    private record Waiting(String hostKey, boolean inbound, long timer) {
    }

    private final Context context;
    private final PeerConfig.Admission limits;
    // Accessed by context thread
    private final Map<PeerSession, Waiting> waiting = new IdentityHashMap<>();
    // Accessed by context thread
    private final Map<String, Integer> perHost = new HashMap<>();
    private volatile int pendingInbound;
    private volatile int highWater;

    HelloGate(Context context, PeerConfig.Admission limits) {
        this.context = context;
        this.limits = limits;
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
            perHost.merge(key, 1, Integer::sum);
            pendingInbound++;
            highWater = Math.max(highWater, pendingInbound);
        }
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
            perHost.computeIfPresent(w.hostKey(), (k, n) -> n > 1 ? n - 1 : null);
            pendingInbound--;
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
