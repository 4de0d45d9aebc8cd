package org.council.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
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

/** A peer under the test's full control: speaks TLS and frames, then sends whatever it is told. */
public final class RawPeer {

    public final NodeKeyPair keys;
    public final List<WireMessage> received = new CopyOnWriteArrayList<>();
    final Promise<Void> closed = Promise.promise();
    private NetSocket socket;
    /** Held on purpose: Vert.x closes a client (and its connections) once it is garbage. */
    private io.vertx.core.net.NetClient client;

    public RawPeer(NodeKeyPair keys) {
        this.keys = keys;
    }

    public Future<RawPeer> connect(Vertx vertx, int port) {
        NodeCertificate cert = NodeCertificate.create(keys);
        client = vertx.createNetClient(new NetClientOptions().setSsl(true)
                        .setKeyCertOptions(KeyCertOptions.wrap(NodeTls.keyManager(cert)))
                        .setTrustOptions(TrustOptions.wrap(NodeTls.trustManager()))
                        .setHostnameVerificationAlgorithm("")
                        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3")));
        return client.connect(port, "127.0.0.1")
                .map(s -> {
                    socket = s;
                    s.handler(new FrameReader(this::onFrame, detail -> received.add(new WireMessage.Goodbye(WireMessage.Reason.PROTOCOL_VIOLATION, "local framing: " + detail))));
                    s.closeHandler(v -> closed.tryComplete());
                    s.exceptionHandler(e -> received.add(new WireMessage.Goodbye(WireMessage.Reason.UNSPECIFIED,
                            "local exception: " + e)));
                    return this;
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

    public void sendRaw(Buffer b) {
        socket.write(b);
    }

    public boolean isClosed() {
        return closed.future().isComplete();
    }

    public WireMessage.Goodbye goodbye() {
        return received.stream().filter(m -> m instanceof WireMessage.Goodbye).map(m -> (WireMessage.Goodbye) m)
                .findFirst().orElse(null);
    }
}
