package org.council.ledger.scope;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;

/**
 * One computed replication scope: the feeds a node holds and replicates, each with its distance
 * in trust hops and how far of it is wanted. Immutable; safe to share between threads.
 */
public final class Scope {

    /** {@link Entry#upTo()} of a feed wanted whole, however long it grows. */
    public static final long WHOLE = Long.MAX_VALUE;

    /**
     * A feed in scope.
     *
     * @param distance trust hops from the node (0 = itself); pinned feeds the graph does not reach
     *                 carry {@link Integer#MAX_VALUE}
     * @param upTo     the last seq wanted: {@link #WHOLE}, or a receipt half's seq for a feed held
     *                 only so that a receipt can be checked (a partial feed at the scope's edge)
     */
    public record Entry(int distance, long upTo) {
        public boolean whole() {
            return upTo == WHOLE;
        }
    }

    /**
     * What changed from one scope to the next: feeds that came in or whose wanted range changed,
     * and feeds that left.
     */
    public record Change(Map<NodeId, Entry> wanted, Set<NodeId> dropped) {
        public boolean isEmpty() {
            return wanted.isEmpty() && dropped.isEmpty();
        }
    }

    private static final Scope EMPTY = new Scope(Map.of());

    private final Map<NodeId, Entry> entries;

    Scope(Map<NodeId, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static Scope empty() {
        return EMPTY;
    }

    public boolean contains(NodeId feed) {
        return entries.containsKey(feed);
    }

    /** The last seq of {@code feed} wanted; 0 when it is not in scope. */
    public long upTo(NodeId feed) {
        Entry e = entries.get(feed);
        return e == null ? 0 : e.upTo();
    }

    /** The entry of {@code feed}, or null when out of scope. */
    public Entry entry(NodeId feed) {
        return entries.get(feed);
    }

    public Map<NodeId, Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** What a peer must be told when this scope replaces {@code before}. */
    public Change since(Scope before) {
        Map<NodeId, Entry> wanted = new HashMap<>();
        for (Map.Entry<NodeId, Entry> e : entries.entrySet()) {
            Entry old = before.entries.get(e.getKey());
            if (old == null || old.upTo() != e.getValue().upTo()) {
                wanted.put(e.getKey(), e.getValue());
            }
        }
        Set<NodeId> dropped = new HashSet<>();
        for (NodeId id : before.entries.keySet()) {
            if (!entries.containsKey(id)) {
                dropped.add(id);
            }
        }
        return new Change(Map.copyOf(wanted), Set.copyOf(dropped));
    }

    @Override
    public String toString() {
        return "Scope" + entries;
    }
}
