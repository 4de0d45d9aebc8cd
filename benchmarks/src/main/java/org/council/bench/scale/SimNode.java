package org.council.bench.scale;

import java.util.HashMap;
import java.util.Map;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.reputation.KarmaEngine;
import org.council.node.peer.ScopeDials;
import org.council.node.peer.SimulatedPeer;
import org.council.node.readmodel.ModelDirectory;

/** One simulated node: its store, its real replication and gossip, its sessions and its counters. */
final class SimNode {

    final int index;
    final NodeKeyPair keys;
    final NodeId id;
    final MemoryLedgerStore store;
    final ModelDirectory directory;
    final SimulatedPeer peer;
    /** The real karma engine over this node's store, for a sample of nodes only (null otherwise). */
    KarmaEngine karma;
    boolean online;
    boolean joined;
    /** The real scope-dial policy, as the node's {@code Dialler} runs it. */
    final ScopeDials dials = new ScopeDials(ScopeDials.Limits.defaults());
    /** Its open catch-up session (beyond {@code target}), and when it closes at the latest. */
    SimNetwork.Session catchUp;
    long catchUpUntilMs;
    /** Sessions by the peer's id. */
    final Map<NodeId, SimNetwork.Session> sessions = new HashMap<>();
    long replicationBytes;
    long gossipBytes;
    long requests;
    long requestsKarmaKnown;
    long discoveredAtMs = -1;
    /** Until when its gossip has something to forward (see {@link SimNetwork#GOSSIP_ACTIVE_MS}). */
    long gossipActiveUntilMs;
    /** Bumped each time the node comes online: a request stream of an earlier stay stops. */
    int epoch;

    SimNode(int index, NodeKeyPair keys, MemoryLedgerStore store, ModelDirectory directory, SimulatedPeer peer) {
        this.index = index;
        this.keys = keys;
        this.id = keys.id();
        this.store = store;
        this.directory = directory;
        this.peer = peer;
    }
}
