package org.council.bench.hostile;

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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.NodeTls;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.FrameReader;
import org.council.node.wire.WireMessage;

/**
 * One hostile connection: the node's own TLS and frame codec, from a chosen loopback address
 * (127.0.0.2, 127.0.0.3...: another host to the node's per-address rules). Like the test peers of
 * the node module (RawPeer, BoundPeer, FloodPeer), which the benchmarks cannot use: the node
 * publishes no test-jar. Answers pings and ends its clocks after the node's, unless told to stop
 * reading; keeps no message, so that a long flood holds no memory here.
 */
final class AttackPeer {

    private static final int RECEIVE_BUFFER = 16 * 1024;

    /** A key and its certificate: made ahead of the measured pull, as an attacker's own machines would. */
    record Identity(NodeKeyPair keys, NodeCertificate cert) {
        static Identity fresh() {
            NodeKeyPair keys = NodeKeyPair.generate();
            return new Identity(keys, NodeCertificate.create(keys));
        }
    }

    final NodeKeyPair keys;
    private final NodeCertificate cert;
    private final Promise<Void> closed = Promise.promise();
    private volatile boolean clocksDone;
    private volatile long answered;
    private NetSocket socket;
    /** Held on purpose: Vert.x closes a client (and its connections) once it is garbage. */
    private NetClient client;

    /** Events and bytes the node sent this connection, added to its attacker's counts. */
    private final java.util.concurrent.atomic.LongAdder eventsIn;
    private final java.util.concurrent.atomic.LongAdder bytesIn;

    AttackPeer(Identity identity) {
        this(identity, new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder());
    }

    AttackPeer(Identity identity, java.util.concurrent.atomic.LongAdder eventsIn, java.util.concurrent.atomic.LongAdder bytesIn) {
        this.keys = identity.keys();
        this.cert = identity.cert();
        this.eventsIn = eventsIn;
        this.bytesIn = bytesIn;
    }

    /** Connects from {@code localAddress}; throws when the node refuses or the wait runs out. */
    AttackPeer connect(Vertx vertx, int port, String localAddress) throws Exception {
        client = vertx.createNetClient(new NetClientOptions().setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(NodeTls.keyManager(cert)))
                .setTrustOptions(TrustOptions.wrap(NodeTls.trustManager()))
                .setHostnameVerificationAlgorithm("")
                .setReceiveBufferSize(RECEIVE_BUFFER)
                .setLocalAddress(localAddress)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3")));
        Future<NetSocket> f = client.connect(port, "127.0.0.1");
        socket = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        FrameReader reader = new FrameReader(this::onMessage, detail -> { });
        socket.handler(b -> {
            bytesIn.add(b.length());
            reader.handle(b);
        });
        socket.closeHandler(v -> closed.tryComplete());
        socket.exceptionHandler(e -> closed.tryComplete());
        return this;
    }

    private void onMessage(WireMessage m) {
        CpuSplit.attackerThread();
        if (m instanceof WireMessage.Clocks c && c.last() && !clocksDone) {
            clocksDone = true;
            send(new WireMessage.Clocks(List.of(), true));
        } else if (m instanceof WireMessage.Ping p) {
            send(new WireMessage.Pong(p.nonce()));
        } else if (m instanceof WireMessage.EventBatch b) {
            eventsIn.add(b.events().size());
        } else if (m instanceof WireMessage.InferenceError) {
            answered++;
        }
    }

    void hello(String network) {
        send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, network, keys.id(), 0, "bench-attacker"));
    }

    /** Hello, then waits for the clocks exchange to end (replication messages are valid from then on). */
    boolean ready(String network, long timeoutMs) throws InterruptedException {
        hello(network);
        return waitFor(() -> clocksDone || isClosed(), timeoutMs) && !isClosed();
    }

    void send(WireMessage m) {
        socket.write(FrameCodec.encode(m));
    }

    /** Stops reading: what the node sends stays in its queues. */
    void stopReading() {
        socket.pause();
    }

    /**
     * Sends up to {@code total} frames made by {@code frame}, {@code perWrite} to a buffer, while
     * {@code goOn} holds and the connection is open, honouring its own write queue. Returns how many were sent.
     */
    long flood(IntFunction<WireMessage> frame, long total, int perWrite, BooleanSupplier goOn) throws InterruptedException {
        // a frame sent again and again (clocks, forks, pings) is encoded once, as a real attacker would:
        // the attackers share this machine's cores with the node, and re-encoding is not attack work
        WireMessage[] last = new WireMessage[1];
        Buffer[] encoded = new Buffer[1];
        return floodEncoded(i -> {
            WireMessage m = frame.apply(i);
            if (m != last[0]) {
                last[0] = m;
                encoded[0] = FrameCodec.encode(m);
            }
            return encoded[0];
        }, total, perWrite, goOn);
    }

    /** {@link #flood} of frames encoded ahead. */
    long floodEncoded(IntFunction<Buffer> frame, long total, int perWrite, BooleanSupplier goOn) throws InterruptedException {
        long sent = 0;
        while (sent < total && goOn.getAsBoolean() && !isClosed()) {
            while (socket.writeQueueFull() && goOn.getAsBoolean() && !isClosed()) {
                Thread.sleep(2);
            }
            Buffer b = Buffer.buffer();
            int n = (int) Math.min(perWrite, total - sent);
            for (int i = 0; i < n; i++) {
                b.appendBuffer(frame.apply((int) (sent + i)));
            }
            socket.write(b);
            sent += n;
        }
        return sent;
    }

    /** Inference errors the node answered with. */
    long answered() {
        return answered;
    }

    boolean isClosed() {
        return closed.future().isComplete();
    }

    void close() {
        if (socket != null && !isClosed()) {
            socket.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static boolean waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
