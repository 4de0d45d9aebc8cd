package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;
import org.council.node.wire.CircuitState;

/**
 * The two ends of circuits. Each end bridges the circuit to a plain TCP connection on this machine,
 * so that the node's ordinary TLS transport runs over it unchanged and end to end: the dialling end
 * listens on an ephemeral loopback port for its own TLS client ({@link #dial}); the target end
 * connects to its own TLS listener ({@link #incoming}) and remembers that connection's source
 * address, so the transport tags the inbound session it yields as relayed ({@link #relayedVia}).
 * Hello, peer authentication and every protocol then run as on a direct session; the relay forwards
 * TLS records it cannot read. Confined to the peer context.
 */
final class CircuitEnds {

    /** The largest {@link WireMessage.CircuitData} payload sent or relayed. */
    static final int MAX_CHUNK = 64 * 1024;
    /** Circuit ends open at once on this node, dialling and accepting together. */
    static final int MAX_ENDS = 32;
    static final long OPEN_TIMEOUT_MS = 15_000;
    /** Bytes held for an end whose local connection is not there yet; beyond, the circuit closes. */
    private static final int MAX_EARLY_BYTES = 1 << 20;

    private static final class End {
        final long id;
        final SessionChannel relay;
        final Promise<Void> opened = Promise.promise();
        NetServer server;
        NetSocket local;
        List<Buffer> early = new ArrayList<>();
        int earlyBytes;

        End(long id, SessionChannel relay) {
            this.id = id;
            this.relay = relay;
        }
    }

    private final Context context;
    private final Vertx vertx;
    private final NetClient plain;
    private final BiFunction<String, Integer, Future<NetSocket>> tlsDial;
    private final String ownHost;
    private final java.util.function.IntSupplier ownPort;
    private final Predicate<NodeId> acceptFrom;
    // Accessed by context thread (both)
    private final Map<Long, End> ends = new HashMap<>();
    private final Map<String, String> splices = new HashMap<>(); // local source address -> the relay's host

    /**
     * @param tlsDial    the transport's TLS client (host, port)
     * @param listenHost this node's listen host; a wildcard one is reached at 127.0.0.1
     * @param acceptFrom whether a circuit offered by this relay is wanted (this node holds a reservation there)
     */
    CircuitEnds(Context context, Vertx vertx, BiFunction<String, Integer, Future<NetSocket>> tlsDial, String listenHost,
                java.util.function.IntSupplier listenPort, Predicate<NodeId> acceptFrom) {
        this.context = context;
        this.vertx = vertx;
        this.plain = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000));
        this.tlsDial = tlsDial;
        this.ownHost = listenHost == null || listenHost.isBlank() || listenHost.equals("0.0.0.0")
                || listenHost.equals("::") ? "127.0.0.1" : listenHost;
        this.ownPort = listenPort;
        this.acceptFrom = acceptFrom;
    }

    /** Opens a circuit to {@code target} through {@code relay}; the TLS connection over it (not yet checked). */
    Future<NetSocket> dial(SessionChannel relay, NodeId target) {
        assert ContextCheck.inThread(context);
        if (ends.size() >= MAX_ENDS) {
            return Future.failedFuture("circuit ends full");
        }
        End e = new End(ThreadLocalRandom.current().nextLong(), relay);
        ends.put(e.id, e);
        e.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
        e.server.connectHandler(sock -> {
            if (e.local != null || !ends.containsKey(e.id)) {
                sock.close(); // only our own TLS client's one connection is bridged
                return;
            }
            attach(e, sock); // the server stays until the circuit ends: closing it would close this connection too
        });
        Future<NetSocket> tls = e.server.listen().compose(s -> {
            relay.send(new WireMessage.CircuitConnect(e.id, target, false));
            return e.opened.future().timeout(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }).compose(v -> tlsDial.apply("127.0.0.1", e.server.actualPort()));
        return tls.onFailure(err -> close(e, true));
    }

    /** The relay offers a circuit from {@code c.peer()}: bridge it to our own listener, or refuse. */
    void incoming(SessionChannel relay, WireMessage.CircuitConnect c) {
        assert ContextCheck.inThread(context);
        if (!acceptFrom.test(relay.remote()) || ends.containsKey(c.circuitId())) {
            relay.send(new WireMessage.CircuitStatus(c.circuitId(), CircuitState.REFUSED, "no reservation on you"));
            return;
        }
        if (ends.size() >= MAX_ENDS) {
            relay.send(new WireMessage.CircuitStatus(c.circuitId(), CircuitState.LIMIT, "circuit ends full"));
            return;
        }
        End e = new End(c.circuitId(), relay);
        ends.put(e.id, e);
        String via = relay instanceof PeerSession s ? s.remoteHost() : relay.remote().hex();
        plain.connect(ownPort.getAsInt(), ownHost).onComplete(ar -> {
            if (ar.failed() || !ends.containsKey(e.id)) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                close(e, true);
                return;
            }
            splices.put(key(ar.result().localAddress()), via);
            attach(e, ar.result());
            relay.send(new WireMessage.CircuitStatus(e.id, CircuitState.OPENED, ""));
        });
    }

    boolean handles(long circuitId, SessionChannel from) {
        End e = ends.get(circuitId);
        return e != null && e.relay == from;
    }

    void status(SessionChannel from, WireMessage.CircuitStatus st) {
        End e = ends.get(st.circuitId());
        if (e == null || e.relay != from) {
            return;
        }
        if (st.status() == CircuitState.OPENED) {
            e.opened.tryComplete();
        } else {
            e.opened.tryFail("circuit " + st.status() + ": " + st.detail());
            close(e, false);
        }
    }

    void data(SessionChannel from, WireMessage.CircuitData d) {
        End e = ends.get(d.circuitId());
        if (e == null || e.relay != from) {
            return;
        }
        Buffer b = Buffer.buffer(d.data());
        if (e.local == null) {
            e.earlyBytes += b.length();
            if (e.earlyBytes > MAX_EARLY_BYTES) {
                close(e, true);
                return;
            }
            e.early.add(b);
            return;
        }
        e.local.write(b);
        if (e.local.writeQueueFull()) {
            from.pauseInput();
            NetSocket local = e.local;
            local.drainHandler(v -> {
                local.drainHandler(null);
                from.resumeInput();
            });
        }
    }

    /** The session to a relay ended: every circuit through it is gone. */
    void sessionClosed(SessionChannel relay) {
        for (End e : List.copyOf(ends.values())) {
            if (e.relay == relay) {
                e.opened.tryFail("the relay left");
                close(e, false);
            }
        }
    }

    /**
     * The relay's host when {@code remote} is the source of one of our splices into our own
     * listener (consumed: asked once per accepted connection), else null.
     */
    String relayedVia(SocketAddress remote) {
        return splices.remove(key(remote));
    }

    int open() {
        return ends.size();
    }

    private void attach(End e, NetSocket local) {
        e.local = local;
        local.handler(buf -> {
            for (int at = 0; at < buf.length(); at += MAX_CHUNK) {
                e.relay.send(new WireMessage.CircuitData(e.id, buf.getBytes(at, Math.min(buf.length(), at + MAX_CHUNK))));
            }
            if (e.relay.writeQueueFull()) {
                local.pause();
                e.relay.whenWritable(local::resume);
            }
        });
        local.closeHandler(v -> close(e, true));
        e.early.forEach(local::write);
        e.early = List.of();
    }

    private void close(End e, boolean tellRelay) {
        if (ends.remove(e.id) == null) {
            return;
        }
        if (tellRelay) {
            e.relay.send(new WireMessage.CircuitStatus(e.id, CircuitState.CLOSED, "closed by an end"));
        }
        if (e.local != null) {
            e.local.close();
            splices.remove(key(e.local.localAddress()));
        }
        if (e.server != null) {
            e.server.close();
        }
    }

    private static String key(SocketAddress a) {
        return a.host() + ":" + a.port();
    }

    Future<Void> stop() {
        return plain.close();
    }
}
