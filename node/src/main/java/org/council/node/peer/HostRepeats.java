package org.council.node.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;

/**
 * History served twice to one host ({@link NetAddress#hostKey}): events of a feed that another
 * session of the same host already holds (its clocks said so, or this node sent them). Keys are
 * free, so without this each identity of an address (4, the per-address session cap) is served the
 * whole ledger, and one replaced when the node closes it starts again: in {@code
 * replication.under_attack}, 4 idle identities of one address took about 400,000 events while an
 * honest peer pulled 100,000. With it, a host's repeats come from one token bucket of
 * {@code perSecond} events a second (a burst of {@link #BURST_SECONDS} of them), so its identities
 * together cost one catch-up plus that rate. What is new to the host is never slowed: one node
 * syncing is unaffected, however large the ledger; a second node syncing behind the same address at
 * the same time gets at full speed only what the first has not got yet.
 *
 * <p>A host is remembered while it has sessions, with what its closed sessions held (so a replaced
 * identity does not start over), and forgotten with its last session: a node that reconnects is
 * served as before. What closed sessions held is one seq per feed, at most the feeds this node
 * holds, kept only while the host has sessions (each of which holds a map that size anyway). Off
 * ({@link #off()}) where every node shares one address (local networks): nothing is a repeat.
 * Confined to the peer context.
 */
final class HostRepeats {

    /**
     * Repeats a second per host by default: one batch a second, about 1 % of what one session is
     * served on loopback (a pull of 100,000 events takes about 5 s); a second node syncing behind the
     * address of a first gets what the first holds at this rate (100,000 events in about 100 s).
     */
    static final int DEFAULT_PER_SECOND = 1_024;
    /** The bucket holds this many seconds of its rate: a few batches at once, then the rate. */
    static final int BURST_SECONDS = 8;

    private final boolean on;
    private final int perSecond;
    private final LongSupplier nanos;
    // Accessed by context thread
    private final Map<String, Host> hosts = new HashMap<>();

    HostRepeats(boolean on, int perSecond, LongSupplier nanos) {
        this.on = on;
        this.perSecond = perSecond;
        this.nanos = nanos;
    }

    /** Nothing is a repeat (local networks, in-memory sessions). */
    static HostRepeats off() {
        return new HostRepeats(false, 1, System::nanoTime);
    }

    /** One host's live sessions (each as the last seq it holds per feed), what its closed ones held, and its bucket. */
    private static final class Host {
        final List<Map<NodeId, Long>> live = new ArrayList<>();
        final Map<NodeId, Long> left = new HashMap<>();
        final TokenBucket repeats;

        Host(TokenBucket repeats) {
            this.repeats = repeats;
        }
    }

    /**
     * A session from {@code host} opened; {@code holds} is the last seq it holds per feed (this node
     * sent it, or it said so), kept up to date by its owner on this context.
     */
    void opened(String host, Map<NodeId, Long> holds) {
        if (on && host != null) {
            hosts.computeIfAbsent(NetAddress.hostKey(host), k -> new Host(
                    new TokenBucket((int) Math.min(Integer.MAX_VALUE, (long) BURST_SECONDS * perSecond), perSecond,
                            nanos))).live.add(holds);
        }
    }

    /** The session of {@code holds} closed: what it held still counts while its host has other sessions. */
    void closed(String host, Map<NodeId, Long> holds) {
        Host h = on && host != null ? hosts.get(NetAddress.hostKey(host)) : null;
        if (h == null || !h.live.removeIf(m -> m == holds)) { // by identity: two sessions may hold alike
            return;
        }
        if (h.live.isEmpty()) {
            hosts.remove(NetAddress.hostKey(host));
            return;
        }
        holds.forEach((feed, seq) -> h.left.merge(feed, seq, Math::max));
    }

    /** The last seq of {@code author} that a session of {@code host} other than {@code self} holds; 0: none. */
    private long elsewhere(Host h, Map<NodeId, Long> self, NodeId author) {
        long most = h.left.getOrDefault(author, 0L);
        for (Map<NodeId, Long> other : h.live) {
            if (other != self) {
                most = Math.max(most, other.getOrDefault(author, 0L));
            }
        }
        return most;
    }

    /** True when a read of {@code author} from {@code from} would be a repeat and the host's bucket is empty: wait. */
    boolean mustWait(String host, Map<NodeId, Long> self, NodeId author, long from) {
        Host h = on && host != null ? hosts.get(NetAddress.hostKey(host)) : null;
        return h != null && from <= elsewhere(h, self, author) && h.repeats.empty();
    }

    /** {@code count} events of {@code author} from {@code from} were read for {@code self}: repeats are paid for. */
    void served(String host, Map<NodeId, Long> self, NodeId author, long from, int count) {
        Host h = on && host != null && count > 0 ? hosts.get(NetAddress.hostKey(host)) : null;
        if (h == null) {
            return;
        }
        long repeats = Math.min(from + count - 1, elsewhere(h, self, author)) - from + 1;
        if (repeats > 0) {
            h.repeats.take((int) repeats);
        }
    }

    /** Hosts remembered (for tests). */
    int hosts() {
        return hosts.size();
    }
}
