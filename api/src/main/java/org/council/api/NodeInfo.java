package org.council.api;

import org.council.crypto.NodeId;

/**
 * What the API needs to know about the running node that is not in the ledger: its identity, the
 * software version and how many peers it is connected to. The node implements this port; the API
 * never depends on the node module.
 *
 * <p><b>Thread-safety.</b> Implementations are called from Vert.x worker threads, possibly
 * concurrently, and must be thread-safe. Calls must be cheap and must not block.
 */
public interface NodeInfo {

    /** This node's id (its Ed25519 public key). */
    NodeId id();

    /** The software version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    String version();

    /** The number of peers currently connected. */
    int peerCount();
}
