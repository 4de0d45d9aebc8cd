package org.council.node.inference;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.council.bridge.InferenceBridge;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.InferenceHandler;
import org.council.node.peer.PeerLink;
import org.council.node.peer.PeerManager;
import org.council.node.readmodel.CapabilityDirectory;
import org.council.node.wire.WireMessage;

/** Remote inference over the peer sessions: serving others and asking others. Runs on the peer context. */
public final class InferenceService implements InferenceHandler {

    /** How far a request's issue time may be from this node's clock. */
    public static final Duration FRESHNESS = Duration.ofSeconds(60);

    private final RemoteInferenceServer server;
    private final RemoteInferenceClient client;
    private final RefusedClaims refused = new RefusedClaims();
    private final UnpaidDebt debt;

    /**
     * @param capabilities what servers announced: the model sizes a requester accepts in their claims
     */
    public InferenceService(NodeKeyPair keys, LedgerStore store, InferenceBridge bridge, ModelCatalog catalog,
                            PeerManager peers, CapabilityDirectory capabilities, LongSupplier clockMillis) {
        this.server = new RemoteInferenceServer(keys.id(), store, bridge, catalog, peers.peerContext(),
                otherLoop(peers.peerContext()), clockMillis, FRESHNESS);
        this.client = new RemoteInferenceClient(keys, store, peers, clockMillis, capabilities::of, refused);
        this.debt = new UnpaidDebt(keys.id(), store, clockMillis);
    }

    /**
     * A context on an event loop of the peer context's Vert.x other than the peer loop (where served
     * jobs read their backends), or the peer context itself when there is no other loop.
     */
    static Context otherLoop(Context peer) {
        ContextInternal p = (ContextInternal) peer;
        for (int i = 0; i < 8; i++) { // the loops are handed out in turn
            ContextInternal c = p.owner().createEventLoopContext();
            if (c.nettyEventLoop() != p.nettyEventLoop()) {
                return c;
            }
        }
        return peer;
    }

    /** Claims this node refused to pay, with the reasons (bounded, in memory). */
    public RefusedClaims refusedClaims() {
        return refused;
    }

    /** What requesters owe this node; it lowers their scheduler weight. */
    public UnpaidDebt debt() {
        return debt;
    }

    public RemoteInferenceClient client() {
        return client;
    }

    @Override
    public boolean onMessage(PeerLink from, WireMessage m) {
        if (m instanceof WireMessage.InferenceRequest r) {
            return server.onRequest(from, r);
        } else if (m instanceof WireMessage.InferenceCancel c) {
            server.onCancel(from, c.jobId());
        } else if (m instanceof WireMessage.InferenceTokens t) {
            client.onTokens(from, t);
        } else if (m instanceof WireMessage.InferenceDone d) {
            client.onDone(from, d);
        } else if (m instanceof WireMessage.InferenceError e) {
            client.onError(from, e);
        }
        return true;
    }

    @Override
    public void onClosed(NodeId peer) {
        server.onClosed(peer);
        client.onClosed(peer);
    }
}
