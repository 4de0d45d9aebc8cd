package org.council.api;

import java.util.List;
import java.util.Map;
import org.council.bridge.QueueState;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;

/**
 * What the API needs to know about the running node that is not in the ledger: its identity, the
 * software version, its peer sessions, its scheduler queue and the capabilities it knows of. The
 * node implements this port; the API never depends on the node module.
 *
 * <p><b>Thread-safety.</b> Implementations are called from Vert.x threads, possibly
 * concurrently, and must be thread-safe. Calls must be cheap and must not block.
 */
public interface NodeInfo {

    /** This node's id (its Ed25519 public key). */
    NodeId id();

    /** The software version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    String version();

    /** The number of peers currently connected. */
    int peerCount();

    /** Peers with an established session, each with the address it is reached at. A snapshot. */
    default Map<NodeId, String> peers() {
        return Map.of();
    }

    /** A snapshot of the local inference queue, or {@code null} when the node has no scheduler. */
    default QueueState queue() {
        return null;
    }

    /** The newest capabilities announcement of every node that made one, by author. A snapshot. */
    default Map<NodeId, EventBody.CapabilitiesAnnounced> capabilities() {
        return Map.of();
    }

    /** The base URL of this node's Ollama-compatible endpoint, or {@code null} when it has none. */
    default String ollamaUrl() {
        return null;
    }

    /** Council queries run from this node, newest first (at most {@code limit}). */
    default List<CouncilRecord> councilHistory(int limit) {
        return List.of();
    }

    /** Receipt claims this node refused to pay, newest first (at most {@code limit}); kept in memory, bounded. */
    default List<RefusedClaim> refusedClaims(int limit) {
        return List.of();
    }

    /** Reachability and relaying, or {@code null} when the node has no peer layer to report. */
    default NetworkState network() {
        return null;
    }
}
