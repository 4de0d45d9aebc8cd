package org.council.node.peer;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Addresses this node may dial: configured seeds (kept and re-dialled with backoff), addresses
 * learned by peer exchange and LAN discovery (bounded), and the listen addresses of peers that
 * connected. Confined to the peer context; every entry point asserts it.
 */
final class AddressBook {

    static final int MAX_KNOWN = 1_000;

    /** A peer address this node may dial. Accessed by context thread. */
    static final class KnownPeer {
        final String host;
        final int port;
        final boolean seed;
        NodeId id;
        int failures;
        long nextAttemptMs;
        boolean dialling;

        KnownPeer(String host, int port, NodeId id, boolean seed) {
            this.host = host;
            this.port = port;
            this.id = id;
            this.seed = seed;
        }
    }

    private final Context context;
    private final NodeId self;
    // Accessed by context thread
    private final Map<String, KnownPeer> known = new HashMap<>();

    AddressBook(Context context, NodeId self) {
        this.context = context;
        this.self = self;
    }

    /** Adds a seed, or makes a known one due at once. */
    void addSeed(SeedAddress a) {
        assert ContextCheck.inThread(context);
        known.merge(a.hostPort(), new KnownPeer(a.host(), a.port(), a.expectedId(), true), (old, neu) -> {
            old.nextAttemptMs = 0;
            return old;
        });
    }

    /** Peer exchange and discovery: remember addresses others told us about (bounded). */
    void learn(List<WireMessage.PeerAddress> peers) {
        assert ContextCheck.inThread(context);
        for (WireMessage.PeerAddress p : peers) {
            if (known.size() >= MAX_KNOWN) {
                return;
            }
            if (p.port() < 1 || p.port() > 65535 || p.host().isBlank() || p.nodeId().equals(self)) {
                continue;
            }
            known.putIfAbsent(p.host() + ":" + p.port(), new KnownPeer(p.host(), p.port(), p.nodeId(), false));
        }
    }

    /** A peer with a session told us where it listens. */
    void connected(NodeId peer, String host, int listenPort) {
        assert ContextCheck.inThread(context);
        known.computeIfAbsent(host + ":" + listenPort, x -> new KnownPeer(host, listenPort, peer, false)).id = peer;
    }

    /** The session with {@code peer} ended: wait before dialling it again. */
    void disconnected(NodeId peer) {
        assert ContextCheck.inThread(context);
        known.values().stream().filter(k -> peer.equals(k.id)).forEach(AddressBook::backOff);
    }

    /** Makes {@code peer}'s addresses due at once (after a block is lifted). */
    void reset(NodeId peer) {
        assert ContextCheck.inThread(context);
        known.values().stream().filter(k -> peer.equals(k.id)).forEach(k -> {
            k.failures = 0;
            k.nextAttemptMs = 0;
        });
    }

    /** Every known address, in a list the caller may dial from while the book changes. */
    List<KnownPeer> all() {
        assert ContextCheck.inThread(context);
        return new ArrayList<>(known.values());
    }

    int size() {
        assert ContextCheck.inThread(context);
        return known.size();
    }

    /** Exponential backoff with jitter, capped at a minute. */
    static void backOff(KnownPeer k) {
        k.failures = Math.min(k.failures + 1, 16);
        long base = Math.min(60_000L, 500L << Math.min(k.failures, 7));
        long jitter = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        k.nextAttemptMs = System.currentTimeMillis() + jitter;
    }
}
