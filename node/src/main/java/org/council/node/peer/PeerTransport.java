package org.council.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeId;
import org.council.crypto.NodeTls;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.WireMessage;

/**
 * The TLS 1.3 transport, in the manner of Besu's {@code RlpxAgent}: listens and dials with the
 * node's certificate, requires the peer to prove exactly one Ed25519 key, and puts every inbound
 * connection through the {@link HelloGate} (pre-hello caps and the handshake rate per host) before
 * TLS, then {@link PeerAdmission} (bans, blocks) before a session may start on it: it listens on
 * plain TCP and upgrades a connection to TLS once the gate lets it in. The TLS handshake itself
 * gets the hello deadline. Created and used on the peer context; {@link #listenPort()} is read from any thread.
 */
final class PeerTransport {

    private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final PeerAdmission admission;
    private final SessionLifecycle lifecycle;
    private final NetServer server;
    private final ServerSSLOptions serverTls;
    private final HelloGate gate;
    private final Vertx vertx;
    private final String listenHost;
    private final NetClient client;
    // Accessed by context thread: the relay's host when an inbound connection is our own circuit's splice
    private java.util.function.Function<io.vertx.core.net.SocketAddress, String> relayedVia = a -> null;

    PeerTransport(Vertx vertx, NodeCertificate certificate, PeerConfig config, PeerAdmission admission,
                  SessionLifecycle lifecycle, HelloGate gate) {
        this.admission = admission;
        this.lifecycle = lifecycle;
        KeyCertOptions keys = KeyCertOptions.wrap(NodeTls.keyManager(certificate));
        TrustOptions trust = TrustOptions.wrap(NodeTls.trustManager());
        // plain TCP first: the per-host checks of the HelloGate run before any handshake work
        this.server = vertx.createNetServer(new NetServerOptions()
                .setHost(config.listenHost()).setPort(config.listenPort()));
        this.serverTls = new ServerSSLOptions().setKeyCertOptions(keys).setTrustOptions(trust)
                .setClientAuth(ClientAuth.REQUIRED)
                .setSslHandshakeTimeout(config.admission().helloTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
        this.gate = gate;
        this.vertx = vertx;
        this.listenHost = config.listenHost();
        server.connectHandler(this::arrived);
        this.client = vertx.createNetClient(new NetClientOptions()
                .setSsl(true).setKeyCertOptions(keys).setTrustOptions(trust)
                .setHostnameVerificationAlgorithm("")
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setConnectTimeout(CONNECT_TIMEOUT_MS));
    }

    /**
     * Listens, once the TLS context of the upgrades is built: Vert.x builds it on a worker thread at
     * its first use, which would otherwise delay the first peer's handshake by as much.
     */
    Future<NetServer> listen() {
        return server.listen().onSuccess(s -> warmUp(s.actualPort()));
    }

    /**
     * Vert.x builds the TLS context of server-side upgrades on a worker thread at their first use
     * (over a second, more on a loaded machine), then caches it: a throwaway loopback connection,
     * closed at once, makes it build now rather than during the first peer's handshake.
     */
    private void warmUp(int port) {
        String host = switch (listenHost) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> listenHost;
        };
        NetClient plain = vertx.createNetClient();
        plain.connect(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().close();
            }
            plain.close();
        });
    }

    /** The port this node listens on (the actual one when configured as 0); any thread. */
    int listenPort() {
        return server.actualPort();
    }

    /** Tells inbound connections that are circuits bridged into our own listener ({@link CircuitEnds}). */
    void relayedVia(java.util.function.Function<io.vertx.core.net.SocketAddress, String> lookup) {
        this.relayedVia = lookup;
    }

    Future<NetSocket> connect(String host, int port) {
        return client.connect(port, host);
    }

    Future<Void> close() {
        return Future.join(server.close(), client.close()).mapEmpty();
    }

    /**
     * A TCP connection, before TLS: closed at once (nothing said: the peer expects TLS) when its host
     * is over a pre-hello cap or out of handshakes, else upgraded to TLS. It counts as waiting for
     * hello from now until its handshake ends, then as its session until hello.
     */
    private void arrived(NetSocket socket) {
        String host = socket.remoteAddress().host();
        Optional<String> refused = gate.arrive(host);
        if (refused.isPresent()) {
            admission.recordRefusal(refused.get());
            socket.close();
            return;
        }
        boolean[] released = {false};
        Runnable release = () -> {
            if (!released[0]) {
                released[0] = true;
                gate.handshaken(host);
            }
        };
        socket.closeHandler(v -> release.run());
        // held until the session has its handler: the peer's hello may come with its last handshake bytes
        socket.pause();
        socket.upgradeToSsl(serverTls).onComplete(ar -> {
            release.run();
            if (ar.failed()) {
                socket.close();
            } else {
                accepted(socket);
                socket.resume();
            }
        });
    }

    private void accepted(NetSocket socket) {
        NodeId remote = provenId(socket);
        if (remote == null) {
            LOG.log(System.Logger.Level.WARNING, "refused a connection from " + socket.remoteAddress()
                    + ": no single Ed25519 certificate proven");
            socket.close();
            return;
        }
        Optional<PeerAdmission.Refusal> refusal = admission.refuseInbound(remote);
        if (refusal.isPresent()) {
            refuse(socket, refusal.get().reason(), refusal.get().detail());
            return;
        }
        String relay = relayedVia.apply(socket.remoteAddress());
        if (relay != null) {
            lifecycle.openRelayed(socket, remote, false, relay);
            return;
        }
        lifecycle.openInbound(socket, remote);
    }

    /** Tells the peer why and closes, before any session exists. */
    static void refuse(NetSocket socket, WireMessage.Reason reason, String detail) {
        socket.write(FrameCodec.encode(new WireMessage.Goodbye(reason, detail)));
        socket.close();
    }

    /** The node id the peer's single certificate proves, or null. */
    static NodeId provenId(NetSocket socket) {
        try {
            var certs = socket.peerCertificates();
            return certs == null || certs.size() != 1 ? null : NodeCertificate.nodeIdOf(certs.get(0));
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
