package org.council.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/**
 * Optional LAN discovery: every few seconds a node multicasts
 * {@code council/1 <network id> <node id hex> <tcp port>} to a UDP group and listens for others'.
 * An announcement only suggests an address: the connection that follows is authenticated by TLS
 * against the announced node id, so a forged announcement gains nothing but a failed dial.
 * Confined to the peer manager's context.
 */
final class LanDiscovery {

    private static final System.Logger LOG = System.getLogger(LanDiscovery.class.getName());
    private static final String MAGIC = "council/1";

    private final Vertx vertx;
    private final PeerConfig.LanDiscoveryConfig config;
    private final String networkId;
    private final NodeId self;
    private final Consumer<WireMessage.PeerAddress> found;
    // Accessed by context thread (set in start, closed in stop; the datagram handler runs there too)
    private DatagramSocket socket;

    LanDiscovery(Vertx vertx, PeerConfig.LanDiscoveryConfig config, String networkId, NodeId self,
                 Consumer<WireMessage.PeerAddress> found) {
        this.vertx = vertx;
        this.config = config;
        this.networkId = networkId;
        this.self = self;
        this.found = found;
    }

    Future<Void> start(int tcpPort) {
        socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReuseAddress(true).setReusePort(true)
                .setMulticastTimeToLive(1));
        socket.handler(packet -> {
            WireMessage.PeerAddress a = parse(packet.data().toString(StandardCharsets.US_ASCII), packet.sender().host());
            if (a != null) {
                found.accept(a);
            }
        });
        byte[] announcement = (MAGIC + " " + networkId + " " + self.hex() + " " + tcpPort).getBytes(StandardCharsets.US_ASCII);
        return socket.listen(config.port(), "0.0.0.0")
                .compose(s -> s.listenMulticastGroup(config.group())
                        .recover(err -> {
                            LOG.log(System.Logger.Level.WARNING, "LAN discovery cannot join " + config.group()
                                    + " (" + err.getMessage() + "); it will only hear unicast announcements");
                            return Future.succeededFuture();
                        }))
                .onSuccess(v -> vertx.setPeriodic(0, config.interval().toMillis(),
                        id -> socket.send(Buffer.buffer(announcement), config.port(), config.group())))
                .mapEmpty();
    }

    Future<Void> stop() {
        return socket == null ? Future.succeededFuture() : socket.close();
    }

    /** The announced address, or null when the datagram is not one for this network from another node. */
    WireMessage.PeerAddress parse(String text, String senderHost) {
        String[] f = text.strip().split(" ");
        if (f.length != 4 || !f[0].equals(MAGIC) || !f[1].equals(networkId)) {
            return null;
        }
        try {
            NodeId id = NodeId.fromHex(f[2]);
            int port = Integer.parseInt(f[3]);
            if (id.equals(self) || port < 1 || port > 65535) {
                return null;
            }
            return new WireMessage.PeerAddress(id, senderHost, port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
