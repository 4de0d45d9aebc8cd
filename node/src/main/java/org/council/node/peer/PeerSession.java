package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.council.crypto.NodeId;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.FrameReader;
import org.council.node.wire.WireMessage;

/**
 * One authenticated connection to a peer: the hello handshake and the goodbye; every other
 * message goes to the protocol registered for its kind ({@link ProtocolDispatcher}). The peer's
 * identity is the key its TLS certificate proved; its hello must name the same key and our
 * network. Confined to the peer context: not thread-safe; the entry points assert it.
 *
 * <p>It bounds what the peer can make it hold: frames queued for a peer that does not read
 * ({@link SessionLimits#maxQueuedBytes()}: the session closes) and pings answered
 * ({@link SessionLimits#pingBudget()}: a ban), so that no message, answered or not, makes the
 * node buffer without limit.
 */
final class PeerSession implements SessionChannel {

    private static final System.Logger LOG = System.getLogger(PeerSession.class.getName());
    private static final long GOODBYE_LINGER_MS = 200;

    private final SessionLifecycle lifecycle;
    private final NetSocket socket;
    private final Context context;
    private final NodeId remote;
    private final boolean outbound;
    private final SessionLimits limits;
    // Accessed by context thread (all below)
    private final TokenBucket pings;
    private long queuedBytes;
    private boolean ready;
    private boolean closed;
    private boolean closing;
    private int listenPort;
    private String relayHost; // set when the session runs over a circuit: the relay's host stands for the peer's
    private long lastHeardNanos = System.nanoTime();
    private Runnable drained; // onDrain's, kept as a socket drain handler would be
    private final java.util.List<Runnable> writable = new java.util.ArrayList<>(); // whenWritable's, one-shot

    PeerSession(SessionLifecycle lifecycle, NetSocket socket, Context context, NodeId remote, boolean outbound) {
        this.lifecycle = lifecycle;
        this.socket = socket;
        this.context = context;
        this.remote = remote;
        this.outbound = outbound;
        this.limits = lifecycle.config().limits();
        this.pings = new TokenBucket(limits.pingBudget(), limits.pingRefillPerSecond(), System::nanoTime);
    }

    void start() {
        assert ContextCheck.inThread(context);
        FlushPerTurn.install(socket);
        socket.setWriteQueueMaxSize(FrameCodec.MAX_FRAME_BYTES);
        socket.handler(FrameReader.typed(this::onMessage, v -> misbehave(v.reason(), v.getMessage(), true)));
        socket.drainHandler(v -> onDrained());
        socket.closeHandler(v -> {
            closed = true;
            lifecycle.closed(this);
        });
        send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, lifecycle.config().networkId(), lifecycle.self(),
                lifecycle.listenPort(), "council/0.1.0"));
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
        return outbound ? lifecycle.self() : remote;
    }

    /** The peer's host; for a session over a circuit the relay's (the socket's is this machine's loopback). */
    @Override
    public String remoteHost() {
        return relayHost != null ? relayHost : socket.remoteAddress().host();
    }

    /** Marks the session as running over a circuit through the relay at {@code host}; before {@link #start()}. */
    void relayedVia(String host) {
        this.relayHost = host;
    }

    boolean relayed() {
        return relayHost != null;
    }

    int remotePort() {
        return socket.remoteAddress().port();
    }

    int remoteListenPort() {
        return listenPort;
    }

    @Override
    public Context context() {
        return context;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /**
     * Queues a frame. Senders of bulk data wait for {@link #writeQueueFull()} to clear; what else is
     * queued (answers, goodbyes) is counted, and a peer that lets more than
     * {@link SessionLimits#maxQueuedBytes()} pile up is not reading: the session ends.
     */
    @Override
    public void send(WireMessage m) {
        if (closed || closing) {
            return;
        }
        Buffer frame = FrameCodec.encode(m);
        int bytes = frame.length();
        if (queuedBytes + bytes > limits.maxQueuedBytes() && m.kind() != WireMessage.Kind.GOODBYE) {
            // no ban: a peer stalled by its network is not malicious; it is closed all the same
            misbehave(WireMessage.Reason.FLOODING, "over " + limits.maxQueuedBytes()
                    + " bytes queued for this peer: it does not read what it asks for", false);
            return;
        }
        queuedBytes += bytes;
        socket.write(frame).onComplete(ar -> written(bytes));
    }

    /**
     * Full when the socket says so, or when the frames whose writes have not completed reach the
     * soft mark. The socket's own mark is not enough: over TLS its writability flips back while
     * written frames are still pending, and a bulk sender trusting it alone queued past the hard
     * limit and closed an honest peer's session mid-pull.
     */
    @Override
    public boolean writeQueueFull() {
        return queuedBytes >= softMark() || socket.writeQueueFull();
    }

    /** A write completed: when that brings the queue under the soft mark, what waits to send goes on. */
    private void written(int bytes) {
        boolean wasFull = queuedBytes >= softMark();
        queuedBytes -= bytes;
        if (wasFull && !closed && !writeQueueFull()) {
            onDrained();
        }
    }

    /** A quarter of the hard limit, at most the socket's write-queue mark (one frame). */
    private int softMark() {
        return Math.max(1, Math.min(FrameCodec.MAX_FRAME_BYTES, limits.maxQueuedBytes() / 4));
    }

    @Override
    public void onDrain(Runnable then) {
        drained = then;
    }

    @Override
    public void whenWritable(Runnable then) {
        writable.add(then);
    }

    private void onDrained() {
        java.util.List<Runnable> waiting = java.util.List.copyOf(writable);
        writable.clear();
        waiting.forEach(Runnable::run);
        if (drained != null) {
            drained.run();
        }
    }

    @Override
    public void pauseInput() {
        socket.pause();
    }

    @Override
    public void resumeInput() {
        socket.resume();
    }

    private void onMessage(WireMessage m) {
        assert ContextCheck.inThread(context);
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
        switch (m.kind()) {
            case HELLO -> misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "second hello", true);
            case GOODBYE -> {
                WireMessage.Goodbye g = (WireMessage.Goodbye) m;
                LOG.log(System.Logger.Level.INFO, "peer " + remote.shortHex() + " said goodbye: " + g.reason() + " "
                        + g.detail());
                close();
            }
            case PING -> {
                if (!pings.take(1)) {
                    misbehave(WireMessage.Reason.FLOODING, "more pings than " + limits.pingBudget() + " at once and "
                            + limits.pingRefillPerSecond() + "/s", true);
                    return;
                }
                lifecycle.protocols().dispatch(this, m);
            }
            default -> lifecycle.protocols().dispatch(this, m);
        }
    }

    private void onHello(WireMessage.Hello h) {
        if (h.protocolVersion() != WireMessage.PROTOCOL_VERSION) {
            goodbye(WireMessage.Reason.PROTOCOL_VIOLATION, "protocol version " + h.protocolVersion()
                    + " is not supported (this node speaks " + WireMessage.PROTOCOL_VERSION + ")");
            return;
        }
        if (!h.networkId().equals(lifecycle.config().networkId())) {
            goodbye(WireMessage.Reason.WRONG_NETWORK, "this node is on network " + lifecycle.config().networkId());
            return;
        }
        if (!h.nodeId().equals(remote)) {
            misbehave(WireMessage.Reason.WRONG_IDENTITY, "hello names " + h.nodeId().shortHex()
                    + " but the TLS key is " + remote.shortHex(), true);
            return;
        }
        listenPort = h.listenPort();
        if (!lifecycle.admit(this)) {
            return; // the session has been told why
        }
        ready = true;
        lifecycle.protocols().sessionReady(this);
    }

    @Override
    public void misbehave(WireMessage.Reason reason, String detail, boolean ban) {
        LOG.log(System.Logger.Level.WARNING, "disconnecting peer " + remote.hex() + " (" + reason + "): " + detail
                + (ban ? "; banned for " + lifecycle.config().banDuration() : ""));
        lifecycle.admission().recordMisbehaviour(remote, reason, ban);
        if (ban) {
            lifecycle.banned(this);
        }
        goodbye(reason, detail);
        if (ban && !closed) {
            // a banned peer's input is no longer read: during the goodbye's linger a flooder would
            // otherwise have the node decrypt and decode megabytes more of its flood (the peer
            // context that every session shares). Unread input may make TCP reset the connection;
            // the goodbye went out first, and a banned peer is owed no more than that.
            socket.pause();
        }
    }

    /**
     * Sends the reason, then closes shortly after. Input keeps being read (and dropped) meanwhile:
     * closing a socket with unread input makes TCP reset the connection, and the peer would lose
     * the goodbye that tells it why.
     */
    @Override
    public void goodbye(WireMessage.Reason reason, String detail) {
        assert ContextCheck.inThread(context);
        if (closing || closed) {
            return;
        }
        send(new WireMessage.Goodbye(reason, detail));
        closing = true;
        lifecycle.closed(this);
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
        return "PeerSession[" + remote.shortHex() + (outbound ? " out" : " in") + (relayed() ? " relayed" : "") + "]";
    }
}
