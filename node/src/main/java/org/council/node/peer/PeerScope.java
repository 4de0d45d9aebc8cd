package org.council.node.peer;

import java.util.HashMap;
import java.util.Map;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * The feeds a peer asked this node for: every feed, until its clocks say it replicates a scope;
 * then the feeds its clocks named and its range requests added, each up to a seq, and always its
 * own feed (a restored peer recovers it from us). Entries are capped like clocks entries
 * ({@link SessionLimits#maxClockEntries()}): the map lives as long as the session.
 *
 * <p>Confined to the session's context, like the {@link FeedSync} that owns it; not thread-safe.
 */
final class PeerScope {

    private final NodeId remote;
    private final int maxEntries;
    // Accessed by context thread (all below)
    private final Map<NodeId, Long> wanted = new HashMap<>();
    private boolean scoped;

    PeerScope(NodeId remote, int maxEntries) {
        this.remote = remote;
        this.maxEntries = maxEntries;
    }

    /**
     * One frame of the peer's clocks (their number is budgeted by the caller). An entry a range
     * request already set stays: the peer computed its clocks once, at the session's start, so a
     * request that overtook a clocks frame of a long set is the newer word.
     */
    void declared(WireMessage.Clocks c) {
        scoped |= c.scoped();
        if (c.scoped()) {
            c.feeds().forEach(fc -> wanted.putIfAbsent(fc.author(), upTo(fc.upTo())));
        }
    }

    /**
     * A range request; null when taken, else why the peer is flooding. Kept even before the peer's
     * clocks said it is scoped (its scope may change while its clocks are still being sent).
     */
    String requested(WireMessage.RangeRequest r) {
        if (r.drop()) {
            wanted.remove(r.author());
            return null;
        }
        if (!wanted.containsKey(r.author()) && wanted.size() >= maxEntries) {
            return "a scope of more than " + maxEntries + " feeds";
        }
        wanted.put(r.author(), upTo(r.upTo()));
        return null;
    }

    /** The last seq of {@code author} the peer wants from us; 0 when none. */
    long limit(NodeId author) {
        if (!scoped || author.equals(remote)) {
            return Long.MAX_VALUE;
        }
        return wanted.getOrDefault(author, 0L);
    }

    boolean scoped() {
        return scoped;
    }

    private static long upTo(long wire) {
        return wire == 0 ? Long.MAX_VALUE : wire;
    }
}
