package org.council.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.NodeTls;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.FrameReader;
import org.council.node.wire.WireMessage;

/**
 * A hostile peer for resource attacks: speaks TLS and frames like {@link RawPeer}, and can also
 * stop reading (with a small receive buffer, so the node's writes pile up on its side) and send
 * frames in bulk, honouring its own write queue so that the test's memory stays bounded.
 */
final class FloodPeer {

    private static final int RECEIVE_BUFFER = 16 * 1024;

    final NodeKeyPair keys;
    final List<WireMessage> received = new CopyOnWriteArrayList<>();
    private final Promise<Void> closed = Promise.promise();
    private NetSocket socket;
    /** Held on purpose: Vert.x closes a client (and its connections) once it is garbage. */
    private NetClient client;

    FloodPeer(NodeKeyPair keys) {
        this.keys = keys;
    }

    Future<FloodPeer> connect(Vertx vertx, int port) {
        NodeCertificate cert = NodeCertificate.create(keys);
        client = vertx.createNetClient(new NetClientOptions().setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(NodeTls.keyManager(cert)))
                .setTrustOptions(TrustOptions.wrap(NodeTls.trustManager()))
                .setHostnameVerificationAlgorithm("")
                .setReceiveBufferSize(RECEIVE_BUFFER)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3")));
        return client.connect(port, "127.0.0.1").map(s -> {
            socket = s;
            s.handler(new FrameReader(this::onFrame, detail -> { }));
            s.closeHandler(v -> closed.tryComplete());
            s.exceptionHandler(e -> closed.tryComplete());
            return this;
        });
    }

    /** Hello on network {@code council-test}, then empty clocks once the node's clocks arrived. */
    FloodPeer ready(java.time.Duration wait) {
        send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", keys.id(), 0, "flood"));
        org.council.node.TestCluster.awaitTrue(() -> received.stream().anyMatch(
                m -> m instanceof WireMessage.Clocks c && c.last()) || isClosed(), wait, () -> "no clocks from node");
        send(new WireMessage.Clocks(List.of(), true));
        return this;
    }

    /** Keeps what the node sends; answers its keep-alive pings as a node does, so a slow test is not dropped as silent. */
    private void onFrame(WireMessage m) {
        received.add(m);
        if (m instanceof WireMessage.Ping ping) {
            send(new WireMessage.Pong(ping.nonce()));
        }
    }

    void send(WireMessage m) {
        socket.write(FrameCodec.encode(m));
    }

    /** Stops reading: what the node sends stays in its queues. */
    void stopReading() {
        socket.pause();
    }

    /**
     * Sends {@code total} frames made by {@code frame} (given each frame's index), {@code perWrite}
     * to a buffer, while {@code goOn} holds; waits for its own write queue to drain between writes. Returns how many
     * frames were written.
     */
    long flood(IntFunction<WireMessage> frame, long total, int perWrite, java.util.function.BooleanSupplier goOn)
            throws InterruptedException {
        long sent = 0;
        while (sent < total && goOn.getAsBoolean() && !isClosed()) {
            while (socket.writeQueueFull() && goOn.getAsBoolean() && !isClosed()) {
                Thread.sleep(2);
            }
            Buffer b = Buffer.buffer();
            int n = (int) Math.min(perWrite, total - sent);
            for (int i = 0; i < n; i++) {
                b.appendBuffer(FrameCodec.encode(frame.apply((int) (sent + i))));
            }
            socket.write(b);
            sent += n;
        }
        return sent;
    }

    boolean isClosed() {
        return closed.future().isComplete();
    }

    void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
