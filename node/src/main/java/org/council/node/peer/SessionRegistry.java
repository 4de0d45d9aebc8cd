package org.council.node.peer;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * The sessions by peer node id, at most one per peer (the duplicate-connection rule settles which
 * of two connections stays). A session is registered once its hello checked out and removed as
 * soon as it starts closing, so every registered session is ready. The map is confined to the
 * peer context; other threads (the API, the metrics, the council service, the inference client)
 * read {@link #connectedPeers()} and {@link #link}, immutable snapshots republished on every change.
 */
final class SessionRegistry {

    private final Context context;
    private final NodeId self;
    // Accessed by context thread
    private final Map<NodeId, PeerSession> sessions = new HashMap<>();
    /** Immutable; replaced (never mutated) on the context thread, read from any thread. */
    private volatile Map<NodeId, String> connectedView = Map.of();
    /** Immutable; replaced (never mutated) on the context thread, read from any thread. */
    private volatile Map<NodeId, PeerLink> linkView = Map.of();

    SessionRegistry(Context context, NodeId self) {
        this.context = context;
        this.self = self;
    }

    /**
     * Adds a session whose hello checked out and that admission let in; false when it must not go
     * on (it has been told why). When the peer already has a session, both ends keep the connection
     * opened by the smaller node id, so they agree without talking; the other one says goodbye.
     */
    boolean register(PeerSession s) {
        assert ContextCheck.inThread(context);
        NodeId remote = s.remote();
        PeerSession existing = sessions.get(remote);
        if (existing != null && !existing.isClosed()) {
            NodeId keepInitiator = self.compareTo(remote) < 0 ? self : remote;
            if (s.initiator().equals(keepInitiator) && !existing.initiator().equals(keepInitiator)) {
                existing.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "keeping the other connection");
            } else {
                s.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "already connected");
                return false;
            }
        }
        sessions.put(remote, s);
        publish();
        return true;
    }

    /** True when {@code s} is the registered session of its peer. */
    boolean isRegistered(PeerSession s) {
        assert ContextCheck.inThread(context);
        return sessions.get(s.remote()) == s;
    }

    /** Removes {@code s} if it is the registered session of its peer; true when it was. */
    boolean remove(PeerSession s) {
        assert ContextCheck.inThread(context);
        if (sessions.remove(s.remote(), s)) {
            publish();
            return true;
        }
        return false;
    }

    boolean contains(NodeId peer) {
        assert ContextCheck.inThread(context);
        return sessions.containsKey(peer);
    }

    int size() {
        assert ContextCheck.inThread(context);
        return sessions.size();
    }

    /** The session with {@code peer}, ready or not. */
    Optional<PeerSession> find(NodeId peer) {
        assert ContextCheck.inThread(context);
        return Optional.ofNullable(sessions.get(peer));
    }

    /**
     * The registered (so ready) session with {@code peer}, from the snapshot: any thread may look,
     * but the link is used (sent on) on the peer context only.
     */
    Optional<PeerLink> link(NodeId peer) {
        return Optional.ofNullable(linkView.get(peer));
    }

    /** The sessions now, in a list the caller may close sessions from. */
    List<PeerSession> all() {
        assert ContextCheck.inThread(context);
        return new ArrayList<>(sessions.values());
    }

    /** Sessions this node opened itself (its outbound slots). */
    int outboundCount() {
        assert ContextCheck.inThread(context);
        return (int) sessions.values().stream().filter(PeerSession::outbound).count();
    }

    /** Netgroups ({@link NetAddress#netgroup}) of the sessions this node opened itself. */
    java.util.Set<String> outboundNetgroups() {
        assert ContextCheck.inThread(context);
        java.util.Set<String> out = new java.util.HashSet<>();
        sessions.values().stream().filter(PeerSession::outbound).forEach(s -> out.add(NetAddress.netgroup(s.remoteHost())));
        return out;
    }

    /** Peers of the sessions this node opened itself. */
    java.util.Set<NodeId> outboundPeers() {
        assert ContextCheck.inThread(context);
        java.util.Set<NodeId> out = new java.util.HashSet<>();
        sessions.values().stream().filter(PeerSession::outbound).forEach(s -> out.add(s.remote()));
        return out;
    }

    /** Peers with an established session and their remote host: an immutable snapshot, any thread. */
    Map<NodeId, String> connectedPeers() {
        return connectedView;
    }

    private void publish() {
        Map<NodeId, String> hosts = new HashMap<>();
        sessions.forEach((id, s) -> hosts.put(id, s.remoteHost()));
        connectedView = Map.copyOf(hosts);
        linkView = Map.copyOf(sessions);
    }
}
