package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with LAN discovery on hears an announcement and dials the announced node. The datagram is
 * sent to its UDP port directly: whether multicast routes exist in a test sandbox is not the
 * point, the announcement handling is.
 */
class LanDiscoveryIT {

    @TempDir
    Path dir;

    @Test
    void anAnnouncementLeadsToAnAuthenticatedConnection() throws Exception {
        int udpPort;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            udpPort = probe.getLocalPort();
        }
        try (TestCluster cluster = new TestCluster(dir)) {
            Node listener = cluster.start("listener", PeerConfig.localDefaults()
                    .withLan(PeerConfig.LanDiscoveryConfig.off().on(udpPort)));
            Node announced = cluster.start("announced", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                var socket = vertx.createDatagramSocket();
                // a forged announcement for another network and a malformed one change nothing
                TestCluster.await(socket.send(Buffer.buffer("council/1 council-main " + announced.id().hex() + " "
                        + announced.peers().listenPort()), udpPort, "127.0.0.1"));
                TestCluster.await(socket.send(Buffer.buffer("hello"), udpPort, "127.0.0.1"));
                TestCluster.await(socket.send(Buffer.buffer("council/1 council-test " + announced.id().hex() + " "
                        + announced.peers().listenPort()), udpPort, "127.0.0.1"));
                TestCluster.awaitTrue(() -> listener.peers().connectedPeers().containsKey(announced.id())
                                && announced.peers().connectedPeers().containsKey(listener.id()),
                        Duration.ofSeconds(20), () -> "the announced node was not dialled");
                assertThat(listener.peers().misbehaviourCounts()).isEmpty();
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }
}
