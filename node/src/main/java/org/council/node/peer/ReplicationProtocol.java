package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.Scope;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.node.wire.WireMessage;

/**
 * Replication: one {@link FeedSync} per ready session, and the fan-out of every newly committed
 * event to all of them. With a replication scope ({@link LocalScope}), the scope is rebuilt from the
 * log at {@link #start()} (the peer manager listens and dials only after it), connected peers are
 * pinned into it, and every change of it is told to every peer. Confined to the peer context.
 */
final class ReplicationProtocol implements ProtocolHandler {

    /**
     * Receipts arriving within this long share one recomputation of the scope: a recomputation
     * walks the settled receipts within the hops (milliseconds for a scope of thousands of feeds,
     * protocol.md) and runs on the peer context, so it must not run once per commit.
     */
    static final long SCOPE_RECOMPUTE_DELAY_MS = 100;

    private final Context context;
    private final LedgerStore store;
    private final PeerConfig config;
    private final Consumer<List<IngestOutcome>> outcomeListener;
    private final LocalScope scope;
    // Accessed by context thread
    private final Map<SessionChannel, FeedSync> syncs = new IdentityHashMap<>();
    private final ServeTurns turns;
    private boolean recomputeScheduled;

    ReplicationProtocol(Context context, LedgerStore store, PeerConfig config,
                        Consumer<List<IngestOutcome>> outcomeListener) {
        this.context = context;
        this.store = store;
        this.config = config;
        this.outcomeListener = outcomeListener;
        this.turns = config == null ? new ServeTurns() : new ServeTurns(new HostBudgets(config.limits(),
                config.admission().hostBudgets(), System::nanoTime), new HostRepeats(config.admission().hostBudgets(),
                config.admission().repeatsPerSecond(), System::nanoTime));
        // full replication needs nothing of the store: built without it (tests build this protocol bare)
        this.scope = config != null && config.replication().scoped() ? LocalScope.of(config.replication(), store.self())
                : LocalScope.full();
    }

    /** Hosts whose sessions are served no history for now (a recent ban of one of their identities). */
    void probation(java.util.function.Predicate<String> onProbation) {
        turns.probation(onProbation);
    }

    /** Builds the replication scope from the log (a no-op under full replication); completes on the context. */
    Future<Void> start() {
        return scope.load(context, store);
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.CLOCKS, WireMessage.Kind.EVENTS, WireMessage.Kind.RANGE_REQUEST);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        assert ContextCheck.inThread(context);
        if (!scope.ready()) {
            // cannot happen while the peer manager starts sessions only after start(): but a session
            // replicating without its scope would ask for the wrong feeds, so it goes instead
            session.goodbye(WireMessage.Reason.UNSPECIFIED, "replication scope still loading");
            return;
        }
        tellAll(scope.connected(session.remote()));
        FeedSync sync = new FeedSync(session, store, config, scope, turns, outcomeListener);
        syncs.put(session, sync);
        sync.start();
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage m) {
        assert ContextCheck.inThread(context);
        FeedSync sync = syncs.get(session);
        if (sync == null) {
            return; // the session is closing: its input is dropped
        }
        switch (m.kind()) {
            case CLOCKS -> sync.onClocks((WireMessage.Clocks) m);
            case EVENTS -> sync.onEvents((WireMessage.EventBatch) m);
            case RANGE_REQUEST -> sync.onRangeRequest((WireMessage.RangeRequest) m);
            default -> throw new IllegalArgumentException("not a replication message: " + m.kind());
        }
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        assert ContextCheck.inThread(context);
        FeedSync sync = syncs.remove(session);
        if (sync != null) {
            sync.closed();
            tellAll(scope.disconnected(session.remote()));
        }
    }

    /** Events just committed to the store (ours or a peer's): each session pushes what its peer lacks. */
    void onCommitted(List<SignedEvent> events) {
        assert ContextCheck.inThread(context);
        if (scope.observe(events) && !recomputeScheduled) {
            recomputeScheduled = true;
            context.owner().setTimer(SCOPE_RECOMPUTE_DELAY_MS, id -> {
                recomputeScheduled = false;
                tellAll(scope.recompute());
            });
        }
        for (FeedSync sync : syncs.values()) {
            sync.onCommitted(events);
        }
    }

    /** The scope as it stands (the whole log's under full replication: empty and unused). */
    Scope scope() {
        return scope.scope();
    }

    /** The last seq of {@code author}'s feed this node holds; 0: none. */
    long held(NodeId author) {
        return store.head(author).map(h -> h.seq()).orElse(0L);
    }

    /** Whether some session's peer is {@code author} or replicates more of its feed than we hold ({@link ScopeDials}). */
    boolean offered(NodeId author) {
        for (Map.Entry<SessionChannel, FeedSync> e : syncs.entrySet()) {
            Map<NodeId, Long> holds = e.getValue().peerHolds(); // empty until the peer's clocks ended
            // a scoped peer offers what its scope wants beyond what we hold (not a partial feed we hold already)
            if (e.getKey().remote().equals(author) || (!holds.isEmpty() && (e.getValue().peerScope().scoped()
                    ? e.getValue().peerScope().limit(author) > held(author) : holds.getOrDefault(author, 0L) > 0))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the session has brought us everything in our scope its peer holds (a catch-up session may go). */
    boolean caughtUp(SessionChannel session) {
        FeedSync sync = syncs.get(session);
        if (sync == null || sync.peerHolds().isEmpty()) {
            return false;
        }
        for (Map.Entry<NodeId, Long> e : sync.peerHolds().entrySet()) {
            long wanted = Math.min(e.getValue(), scope.scoped() ? scope.scope().upTo(e.getKey()) : Long.MAX_VALUE);
            if (wanted > 0 && held(e.getKey()) < wanted) {
                return false;
            }
        }
        return true;
    }

    private void tellAll(Scope.Change change) {
        if (!change.isEmpty()) {
            syncs.values().forEach(s -> s.onScopeChanged(change));
        }
    }
}
