package org.council.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.NodeTls;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.FrameReader;
import org.council.node.wire.WireMessage;

/**
 * A raw-protocol test peer like {@link RawPeer}, connecting from a chosen loopback address
 * (127.0.0.2, 127.0.0.3...: "another host" to the node's per-address rules).
 */
public final class BoundPeer {

    public final NodeKeyPair keys;
    public final List<WireMessage> received = new CopyOnWriteArrayList<>();
    private final Promise<Void> closed = Promise.promise();
    private NetSocket socket;
    /** Held on purpose: Vert.x closes a client (and its connections) once it is garbage. */
    private NetClient client;

    public BoundPeer(NodeKeyPair keys) {
        this.keys = keys;
    }

    /** A client with {@code keys}' certificate whose connections leave from {@code localAddress}. */
    static NetClient client(Vertx vertx, NodeKeyPair keys, String localAddress) {
        NodeCertificate cert = NodeCertificate.create(keys);
        return vertx.createNetClient(new NetClientOptions().setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(NodeTls.keyManager(cert)))
                .setTrustOptions(TrustOptions.wrap(NodeTls.trustManager()))
                .setHostnameVerificationAlgorithm("")
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setLocalAddress(localAddress));
    }

    public Future<BoundPeer> connect(Vertx vertx, int port, String localAddress) {
        client = client(vertx, keys, localAddress);
        return client.connect(port, "127.0.0.1").map(s -> {
            socket = s;
            s.handler(new FrameReader(this::onFrame, detail -> { }));
            s.closeHandler(v -> closed.tryComplete());
            return this;
        });
    }

    /** Connects and says hello on {@code network}, listening nowhere. */
    public Future<BoundPeer> hello(Vertx vertx, int port, String localAddress, String network) {
        return connect(vertx, port, localAddress).map(p -> {
            p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, network, keys.id(), 0, "test"));
            return p;
        });
    }

    /** Keeps what the node sends; answers its keep-alive pings as a node does, so a slow test is not dropped as silent. */
    private void onFrame(WireMessage m) {
        received.add(m);
        if (m instanceof WireMessage.Ping ping) {
            send(new WireMessage.Pong(ping.nonce()));
        }
    }

    public void send(WireMessage m) {
        socket.write(FrameCodec.encode(m));
    }

    public boolean isClosed() {
        return closed.future().isComplete();
    }

    public boolean got(WireMessage.Kind kind) {
        return received.stream().anyMatch(m -> m.kind() == kind);
    }
}
