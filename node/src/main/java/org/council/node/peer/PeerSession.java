package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.council.crypto.NodeId;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.FrameReader;
import org.council.node.wire.WireMessage;

/**
 * One authenticated connection to a peer: hello, then replication ({@link FeedSync}), peer
 * exchange and keep-alive. The peer's identity is the key its TLS certificate proved; its hello
 * must name the same key and our network. Confined to the manager's context: not thread-safe.
 */
final class PeerSession implements PeerLink {

    private static final System.Logger LOG = System.getLogger(PeerSession.class.getName());
    private static final long GOODBYE_LINGER_MS = 200;

    private final PeerManager manager;
    private final NetSocket socket;
    private final Context context;
    private final NodeId remote;
    private final boolean outbound;
    private final FeedSync sync;
    private boolean ready;
    private boolean closed;
    private boolean closing;
    private int listenPort;
    private long lastHeardNanos = System.nanoTime();

    PeerSession(PeerManager manager, NetSocket socket, Context context, NodeId remote, boolean outbound) {
        this.manager = manager;
        this.socket = socket;
        this.context = context;
        this.remote = remote;
        this.outbound = outbound;
        this.sync = new FeedSync(this, manager.store(), manager.peerConfig(), manager::ingested);
    }

    void start() {
        socket.setWriteQueueMaxSize(FrameCodec.MAX_FRAME_BYTES);
        socket.handler(new FrameReader(this::onMessage, detail -> misbehave(WireMessage.Reason.PROTOCOL_VIOLATION,
                detail, true)));
        socket.closeHandler(v -> {
            closed = true;
            manager.closed(this);
        });
        send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, manager.peerConfig().networkId(), manager.self(),
                manager.listenPort(), "council/0.1.0"));
    }

    @Override
    public NodeId remote() {
        return remote;
    }

    boolean outbound() {
        return outbound;
    }

    /** The node that opened this connection (used to settle duplicate connections). */
    NodeId initiator() {
        return outbound ? manager.self() : remote;
    }

    String remoteHost() {
        return socket.remoteAddress().host();
    }

    int remoteListenPort() {
        return listenPort;
    }

    boolean ready() {
        return ready && !closed;
    }

    Context context() {
        return context;
    }

    NetSocket socket() {
        return socket;
    }

    FeedSync sync() {
        return sync;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    @Override
    public void send(WireMessage m) {
        if (!closed && !closing) {
            socket.write(FrameCodec.encode(m));
        }
    }

    private void onMessage(WireMessage m) {
        if (closing) {
            return; // after goodbye, input is read and dropped until the socket closes
        }
        lastHeardNanos = System.nanoTime();
        if (!ready) {
            if (!(m instanceof WireMessage.Hello h)) {
                misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "first message must be hello", true);
                return;
            }
            onHello(h);
            return;
        }
        if (m instanceof WireMessage.Clocks c) {
            sync.onClocks(c);
        } else if (m instanceof WireMessage.EventBatch b) {
            sync.onEvents(b);
        } else if (m instanceof WireMessage.RangeRequest r) {
            sync.onRangeRequest(r);
        } else if (m instanceof WireMessage.PeerList p) {
            manager.learn(p.peers());
        } else if (m instanceof WireMessage.Ping p) {
            send(new WireMessage.Pong(p.nonce()));
        } else if (m instanceof WireMessage.Goodbye g) {
            LOG.log(System.Logger.Level.INFO, "peer " + remote.shortHex() + " said goodbye: " + g.reason() + " " + g.detail());
            close();
        } else if (m instanceof WireMessage.Hello) {
            misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "second hello", true);
        } else {
            manager.inferenceMessage(this, m);
        }
    }

    private void onHello(WireMessage.Hello h) {
        if (h.protocolVersion() != WireMessage.PROTOCOL_VERSION) {
            goodbye(WireMessage.Reason.PROTOCOL_VIOLATION, "protocol version " + h.protocolVersion()
                    + " is not supported (this node speaks " + WireMessage.PROTOCOL_VERSION + ")");
            return;
        }
        if (!h.networkId().equals(manager.peerConfig().networkId())) {
            goodbye(WireMessage.Reason.WRONG_NETWORK, "this node is on network " + manager.peerConfig().networkId());
            return;
        }
        if (!h.nodeId().equals(remote)) {
            misbehave(WireMessage.Reason.WRONG_IDENTITY, "hello names " + h.nodeId().shortHex()
                    + " but the TLS key is " + remote.shortHex(), true);
            return;
        }
        listenPort = h.listenPort();
        if (!manager.register(this)) {
            return; // the manager said goodbye
        }
        ready = true;
        sync.start();
        List<WireMessage.PeerAddress> peers = manager.shareablePeers(remote);
        if (!peers.isEmpty()) {
            send(new WireMessage.PeerList(peers));
        }
    }

    void ping() {
        send(new WireMessage.Ping(ThreadLocalRandom.current().nextLong()));
    }

    /** Says why and closes; a banned peer is refused for the configured ban duration. */
    void misbehave(WireMessage.Reason reason, String detail, boolean ban) {
        LOG.log(System.Logger.Level.WARNING, "disconnecting peer " + remote.hex() + " (" + reason + "): " + detail
                + (ban ? "; banned for " + manager.peerConfig().banDuration() : ""));
        manager.recordMisbehaviour(remote, reason, ban);
        goodbye(reason, detail);
    }

    /**
     * Sends the reason, then closes shortly after. Input keeps being read (and dropped) meanwhile:
     * closing a socket with unread input makes TCP reset the connection, and the peer would lose
     * the goodbye that tells it why.
     */
    void goodbye(WireMessage.Reason reason, String detail) {
        if (closing || closed) {
            return;
        }
        send(new WireMessage.Goodbye(reason, detail));
        closing = true;
        manager.closed(this);
        context.owner().setTimer(GOODBYE_LINGER_MS, id -> close());
    }

    void close() {
        closing = true;
        if (!closed) {
            closed = true;
            socket.close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed || closing;
    }

    @Override
    public String toString() {
        return "PeerSession[" + remote.shortHex() + (outbound ? " out" : " in") + "]";
    }
}
