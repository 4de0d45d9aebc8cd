package org.council.node.peer;

import io.vertx.core.Context;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.node.wire.WireMessage;

/**
 * Replication: one {@link FeedSync} per ready session, and the fan-out of every newly committed
 * event to all of them. Confined to the peer context.
 */
final class ReplicationProtocol implements ProtocolHandler {

    private final Context context;
    private final LedgerStore store;
    private final PeerConfig config;
    private final Consumer<List<IngestOutcome>> outcomeListener;
    // Accessed by context thread
    private final Map<SessionChannel, FeedSync> syncs = new IdentityHashMap<>();

    ReplicationProtocol(Context context, LedgerStore store, PeerConfig config,
                        Consumer<List<IngestOutcome>> outcomeListener) {
        this.context = context;
        this.store = store;
        this.config = config;
        this.outcomeListener = outcomeListener;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.CLOCKS, WireMessage.Kind.EVENTS, WireMessage.Kind.RANGE_REQUEST);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        assert ContextCheck.inThread(context);
        FeedSync sync = new FeedSync(session, store, config, outcomeListener);
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
        syncs.remove(session);
    }

    /** Events just committed to the store (ours or a peer's): each session pushes what its peer lacks. */
    void onCommitted(List<SignedEvent> events) {
        assert ContextCheck.inThread(context);
        for (FeedSync sync : syncs.values()) {
            sync.onCommitted(events);
        }
    }
}
