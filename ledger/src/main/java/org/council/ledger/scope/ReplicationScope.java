package org.council.ledger.scope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.projection.ReceiptSettlement;
import org.council.ledger.projection.UnmatchedHalves;
import org.council.ledger.event.SignedEvent;

/**
 * Which feeds a node holds and replicates: its replication scope, derived from the events it holds
 * (so a replay of the ledger rebuilds it) and a little configuration.
 *
 * <p>In scope, whole:
 * <ul>
 *   <li>the node's own feed;</li>
 *   <li>its direct counterparties: every node its own feed proposed service to or acknowledged
 *       service from, settled or not;</li>
 *   <li>feeds within {@link ScopeConfig#hops()} trust hops of it along settled receipts (one rule,
 *       {@link ReceiptSettlement}, decides what settled, as for balances and karma);</li>
 *   <li>pinned feeds: the operator's trusted peers, and the peers it is connected to (a first job
 *       with a peer needs that peer's capabilities).</li>
 * </ul>
 * In scope up to an event (a partial feed): for every receipt half in a whole feed, the feed that
 * holds the other half, so that the receipt can be checked. An acknowledgement names its
 * proposal's seq, so the server's feed is wanted up to it; a proposal does not know where its
 * acknowledgement will land, so the requester's feed is wanted whole until it settles, then up to
 * the acknowledgement. Partial feeds add nothing further: their own halves do not widen the scope.
 *
 * <p>Bounded by {@link ScopeConfig#maxFeeds()}: beyond it the most distant feeds leave first
 * (partial feeds count as one hop beyond the limit), among equals the one with fewer settled
 * receipts, then the higher id; the own feed, its direct counterparties (as {@code ledger.max.feeds}
 * exempts them) and pinned feeds never leave.
 *
 * <p>Cost: {@link #observe} is O(1) per event; {@link #scope()} recomputes, only after something
 * changed, in O(feeds and settled edges within the hop limit + receipt halves of whole feeds'
 * counterparties). Inputs are plain events and ids, no store: a simulation drives it in memory.
 * Not thread-safe: one thread at a time.
 */
public final class ReplicationScope {

    /** What one feed's receipt halves need of another feed. */
    private static final class Need {
        long upTo; // the highest seq of the other feed a half names or settled against
        int pending; // proposals to the other feed not yet acknowledged: it is wanted whole
    }

    private record AckKey(NodeId server, long seq, NodeId requester) {
    }

    private final NodeId self;
    private final Set<NodeId> trusted;
    private final ScopeConfig config;
    private final Set<NodeId> pinned = new HashSet<>();
    private final UnmatchedHalves halves = new UnmatchedHalves();
    /** Seqs of acknowledgements waiting for their proposal. */
    private final Map<AckKey, Long> ackSeqs = new HashMap<>();
    /** Settled receipts as an undirected graph: who has a settled receipt with whom. */
    private final Map<NodeId, Set<NodeId>> settled = new HashMap<>();
    /** holder -> counterparty -> what the holder's halves need of the counterparty's feed. */
    private final Map<NodeId, Map<NodeId, Need>> needs = new HashMap<>();
    /** The highest seq applied per author: a replay or a late commit callback applies nothing twice. */
    private final Map<NodeId, Long> applied = new HashMap<>();
    private Scope current = Scope.empty();
    private boolean stale = true;

    public ReplicationScope(NodeId self, Set<NodeId> trusted, ScopeConfig config) {
        this.self = self;
        this.trusted = Set.copyOf(trusted);
        this.config = config;
    }

    /**
     * Takes one event held by the node (its own or replicated), in its feed's seq order; an event
     * at or below a seq already seen of its author is ignored. True when the scope may have changed.
     */
    public boolean observe(SignedEvent e) {
        Long head = applied.get(e.author());
        if (head != null && e.seq() <= head) {
            return false;
        }
        applied.put(e.author(), e.seq());
        boolean changed = switch (e.body().kind()) {
            case SERVICE_PROPOSED -> proposed(e, (EventBody.ServiceProposed) e.body());
            case SERVICE_ACKNOWLEDGED -> acknowledged(e, (EventBody.ServiceAcknowledged) e.body());
            case CAPABILITIES_ANNOUNCED, RATING, EQUIVOCATION_OBSERVED, UNKNOWN -> false;
        };
        stale |= changed;
        return changed;
    }

    /** Pins a feed (a connected peer); true when that is new. */
    public boolean pin(NodeId feed) {
        boolean added = pinned.add(feed);
        stale |= added;
        return added;
    }

    /** Unpins a feed pinned by {@link #pin}; trusted peers stay. True when it was pinned. */
    public boolean unpin(NodeId feed) {
        boolean removed = pinned.remove(feed);
        stale |= removed;
        return removed;
    }

    public NodeId self() {
        return self;
    }

    /** The scope as the events seen so far make it; recomputed only when something changed. */
    public Scope scope() {
        if (stale) {
            current = compute();
            stale = false;
        }
        return current;
    }

    private boolean proposed(SignedEvent e, EventBody.ServiceProposed p) {
        NodeId server = e.author();
        Need need = need(server, p.requester());
        ReceiptSettlement.Settled s = ReceiptSettlement.proposed(halves, e, p);
        if (s == null) {
            need.pending++;
        } else {
            Long ackSeq = ackSeqs.remove(new AckKey(server, e.seq(), p.requester()));
            need.upTo = Math.max(need.upTo, ackSeq == null ? 0 : ackSeq);
            link(server, p.requester());
        }
        return true;
    }

    private boolean acknowledged(SignedEvent e, EventBody.ServiceAcknowledged a) {
        NodeId requester = e.author();
        Need need = need(requester, a.server());
        need.upTo = Math.max(need.upTo, a.proposalSeq());
        ReceiptSettlement.Settled s = ReceiptSettlement.acknowledged(halves, e, a);
        if (s == null) {
            ackSeqs.put(new AckKey(a.server(), a.proposalSeq(), requester), e.seq());
        } else {
            Need back = need(a.server(), requester);
            back.pending = Math.max(0, back.pending - 1);
            back.upTo = Math.max(back.upTo, e.seq());
            link(a.server(), requester);
        }
        return true;
    }

    private Need need(NodeId holder, NodeId other) {
        return needs.computeIfAbsent(holder, k -> new HashMap<>()).computeIfAbsent(other, k -> new Need());
    }

    private void link(NodeId a, NodeId b) {
        if (!a.equals(b)) {
            settled.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            settled.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }
    }

    private Scope compute() {
        Map<NodeId, Integer> distance = distances();
        Map<NodeId, Scope.Entry> entries = new HashMap<>();
        distance.forEach((id, d) -> entries.put(id, new Scope.Entry(d, Scope.WHOLE)));
        for (NodeId id : pinnedFeeds()) {
            entries.putIfAbsent(id, new Scope.Entry(Integer.MAX_VALUE, Scope.WHOLE));
        }
        Map<NodeId, Long> partial = new HashMap<>();
        for (NodeId holder : entries.keySet()) {
            needs.getOrDefault(holder, Map.of()).forEach((other, need) -> {
                long upTo = need.pending > 0 ? Scope.WHOLE : need.upTo;
                if (!entries.containsKey(other) && upTo > 0) {
                    partial.merge(other, upTo, Math::max);
                }
            });
        }
        partial.forEach((id, upTo) -> entries.put(id, new Scope.Entry(config.hops() + 1, upTo)));
        evictBeyondBound(entries);
        return new Scope(entries);
    }

    /** Breadth-first from the node over settled receipts, at most {@code hops} deep. */
    private Map<NodeId, Integer> distances() {
        Map<NodeId, Integer> distance = new HashMap<>();
        distance.put(self, 0);
        ArrayDeque<NodeId> queue = new ArrayDeque<>();
        // direct counterparties count from their first half in the own feed, settled or not
        for (NodeId c : needs.getOrDefault(self, Map.of()).keySet()) {
            if (distance.putIfAbsent(c, 1) == null) {
                queue.add(c);
            }
        }
        for (NodeId c : settled.getOrDefault(self, Set.of())) {
            if (distance.putIfAbsent(c, 1) == null) {
                queue.add(c);
            }
        }
        while (!queue.isEmpty()) {
            NodeId at = queue.poll();
            int d = distance.get(at);
            if (d >= config.hops()) {
                continue;
            }
            for (NodeId next : settled.getOrDefault(at, Set.of())) {
                if (distance.putIfAbsent(next, d + 1) == null) {
                    queue.add(next);
                }
            }
        }
        return distance;
    }

    private Set<NodeId> pinnedFeeds() {
        Set<NodeId> all = new HashSet<>(trusted);
        all.addAll(pinned);
        all.add(self);
        return all;
    }

    private void evictBeyondBound(Map<NodeId, Scope.Entry> entries) {
        int excess = entries.size() - config.maxFeeds();
        if (excess <= 0) {
            return;
        }
        Set<NodeId> keep = pinnedFeeds();
        // the other halves of the node's own receipts: its balance and its claims depend on them
        keep.addAll(needs.getOrDefault(self, Map.of()).keySet());
        List<Candidate> candidates = new ArrayList<>(entries.size());
        entries.forEach((id, e) -> {
            if (!keep.contains(id)) {
                candidates.add(new Candidate(id, e.distance(), settled.getOrDefault(id, Set.of()).size()));
            }
        });
        candidates.sort(EVICTION_ORDER);
        for (int i = 0; i < excess && i < candidates.size(); i++) {
            entries.remove(candidates.get(i).id());
        }
    }

    /** Keys of the eviction order, read once per feed rather than once per comparison. */
    private record Candidate(NodeId id, int distance, int settledReceipts) {
    }

    /** Most distant first; among equals fewer settled receipts first; then the higher id. */
    private static final Comparator<Candidate> EVICTION_ORDER = Comparator.comparingInt(Candidate::distance).reversed()
            .thenComparingInt(Candidate::settledReceipts)
            .thenComparing(Candidate::id, Comparator.reverseOrder());
}
