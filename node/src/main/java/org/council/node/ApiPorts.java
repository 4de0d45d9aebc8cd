package org.council.node;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.council.api.CouncilAsk;
import org.council.api.CouncilRecord;
import org.council.api.NodeActions;
import org.council.api.NodeInfo;
import org.council.bridge.QueueState;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.node.council.CouncilJson;
import org.council.node.council.CouncilResult;
import org.council.node.council.CouncilTimeouts;

/** The node seen through the API's ports: what it is and knows, and what the operator may ask of it. Thread-safe. */
final class ApiPorts implements NodeInfo, NodeActions {

    private final Node node;

    ApiPorts(Node node) {
        this.node = node;
    }

    @Override
    public NodeId id() {
        return node.id();
    }

    @Override
    public String version() {
        return Node.VERSION;
    }

    @Override
    public int peerCount() {
        return node.peers().connectedPeers().size();
    }

    @Override
    public Map<NodeId, String> peers() {
        return node.peers().connectedPeers();
    }

    @Override
    public QueueState queue() {
        return node.bridge().queueState();
    }

    @Override
    public Map<NodeId, EventBody.CapabilitiesAnnounced> capabilities() {
        return node.capabilities().all();
    }

    @Override
    public String ollamaUrl() {
        return node.ollamaUrl();
    }

    @Override
    public org.council.api.NetworkState network() {
        org.council.node.peer.Reachability r = node.peers().reachability();
        org.council.node.peer.RelayStatus s = node.peers().relayStatus();
        return new org.council.api.NetworkState(r.status().name(), r.observedHost().orElse(null), s.reservationsHeld(),
                s.reservationsServed(), s.circuits(), s.bytesRelayed());
    }

    @Override
    public List<CouncilRecord> councilHistory(int limit) {
        return node.council().history(limit);
    }

    @Override
    public List<org.council.api.RefusedClaim> refusedClaims(int limit) {
        return node.inference().refusedClaims().newest(limit);
    }

    @Override
    public Future<Map<String, Object>> askCouncil(CouncilAsk ask, Consumer<Map<String, Object>> progress) {
        return node.council()
                .ask(ask.question(), ask.members(), java.util.Set.copyOf(ask.models()),
                        CouncilTimeouts.of(java.time.Duration.ofSeconds(ask.timeoutSeconds())), null,
                        e -> progress.accept(CouncilJson.event(e)))
                .map(CouncilResult::toJsonMap);
    }

    @Override
    public Future<Void> addPeer(String address) {
        try {
            node.peers().addPeer(address);
            return Future.succeededFuture();
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
    }
}
