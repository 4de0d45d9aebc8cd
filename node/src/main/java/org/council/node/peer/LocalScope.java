package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.ReplicationScope;
import org.council.ledger.scope.Scope;
import org.council.ledger.store.LedgerStore;
import org.council.node.wire.WireMessage;

/**
 * This node's replication scope as the peer layer uses it: the ledger's {@link ReplicationScope}
 * policy, rebuilt from the log at start and then fed every committed event, with the connected
 * peers pinned. Each call that may change the scope returns what changed, for the sessions to tell
 * their peers. With full replication ({@link #full()}) every feed is accepted and nothing changes.
 *
 * <p>Confined to the peer context, except that the policy belongs to one worker while the log is
 * scanned at start ({@link #load}); events committed meanwhile wait and are applied after it
 * (applying is idempotent per author and seq, so what the scan saw too counts once).
 */
final class LocalScope {

    private final ReplicationScope policy; // null: full replication
    // Accessed by context thread (all below)
    private final List<List<SignedEvent>> early = new ArrayList<>();
    private Scope current = Scope.empty();
    private boolean ready;

    private LocalScope(ReplicationScope policy) {
        this.policy = policy;
        this.ready = policy == null;
    }

    static LocalScope full() {
        return new LocalScope(null);
    }

    static LocalScope of(PeerConfig.Replication config, NodeId self) {
        return config.scoped() ? new LocalScope(new ReplicationScope(self, config.trusted(), config.scope())) : full();
    }

    boolean scoped() {
        return policy != null;
    }

    /** True once the scope reflects the whole log (at once under full replication). */
    boolean ready() {
        return ready;
    }

    /** Whether events of {@code author} are taken when a peer sends them. */
    boolean accepts(NodeId author) {
        return policy == null || !ready || current.contains(author);
    }

    Scope scope() {
        return current;
    }

    /**
     * Our clocks for a session with {@code remote}: every feed we hold; or, scoped, the feeds in our
     * scope (seq 0: none held yet) with the last seq we want of each (0: all), and the peer's own
     * feed if we hold it, so that a peer that lost its data dir still learns how far its feed went.
     */
    List<WireMessage.FeedClock> clocks(LedgerStore store, NodeId remote) {
        if (policy == null) {
            return store.heads().stream().map(h -> new WireMessage.FeedClock(h.author(), h.seq())).toList();
        }
        List<WireMessage.FeedClock> clocks = new ArrayList<>(current.size() + 1);
        current.entries().forEach((author, e) -> clocks.add(new WireMessage.FeedClock(author, held(store, author),
                e.whole() ? 0 : e.upTo())));
        if (!current.contains(remote) && held(store, remote) > 0) {
            clocks.add(new WireMessage.FeedClock(remote, held(store, remote), 0));
        }
        return clocks;
    }

    /** What a peer is told when our scope changes: range requests for feeds that joined, drops for those that left. */
    static List<WireMessage.RangeRequest> requests(Scope.Change change, LedgerStore store) {
        List<WireMessage.RangeRequest> requests = new ArrayList<>();
        change.wanted().forEach((author, e) -> requests.add(new WireMessage.RangeRequest(author,
                held(store, author) + 1, e.whole() ? 0 : e.upTo(), false)));
        change.dropped().forEach(author -> requests.add(new WireMessage.RangeRequest(author, held(store, author) + 1,
                0, true)));
        return requests;
    }

    private static long held(LedgerStore store, NodeId author) {
        return store.head(author).map(FeedHead::seq).orElse(0L);
    }

    /** Scans the log on a worker, then applies what was committed meanwhile; completes on the context. */
    Future<Void> load(Context context, LedgerStore store) {
        if (policy == null) {
            return Future.succeededFuture();
        }
        return context.<Void>executeBlocking(() -> {
            try (Stream<SignedEvent> all = store.allEvents()) {
                all.forEachOrdered(policy::observe);
            }
            return null;
        }, false).map(v -> {
            assert ContextCheck.inThread(context);
            early.forEach(batch -> batch.forEach(policy::observe));
            early.clear();
            current = policy.scope();
            ready = true;
            return null;
        });
    }

    /** Events just committed, applied at once; what the scope gained and lost through them. */
    Scope.Change committed(List<SignedEvent> events) {
        return observe(events) ? recompute() : NONE;
    }

    /**
     * Events just committed, applied without recomputing the scope (O(1) per event); true when a
     * {@link #recompute()} is due.
     */
    boolean observe(List<SignedEvent> events) {
        if (policy == null) {
            return false;
        }
        if (!ready) {
            early.add(events);
            return false;
        }
        boolean changed = false;
        for (SignedEvent e : events) {
            changed |= policy.observe(e);
        }
        return changed;
    }

    /** A peer connected: its feed is in scope while it stays (its capabilities make a first job possible). */
    Scope.Change connected(NodeId peer) {
        return policy != null && ready && policy.pin(peer) ? recompute() : NONE;
    }

    Scope.Change disconnected(NodeId peer) {
        return policy != null && ready && policy.unpin(peer) ? recompute() : NONE;
    }

    /** Recomputes the scope (a walk of the settled receipts within the hops); what changed since the last time. */
    Scope.Change recompute() {
        if (policy == null || !ready) {
            return NONE;
        }
        Scope next = policy.scope();
        Scope.Change change = next.since(current);
        current = next;
        return change;
    }

    private static final Scope.Change NONE = new Scope.Change(java.util.Map.of(), java.util.Set.of());
}
