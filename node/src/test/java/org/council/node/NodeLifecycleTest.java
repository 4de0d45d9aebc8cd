package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.peer.PeerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLifecycleTest {

    @TempDir
    Path dir;

    private static Set<String> councilThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("ledger-") || n.startsWith("vert.x-")).collect(Collectors.toSet());
    }

    @Test
    void startsWithAPrivateKeyAndStopsWithoutLeakingThreads() throws Exception {
        Node node = Node.start(NodeConfig.local(dir));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.config().keyFile())))
                .isEqualTo("rw-------");
        assertThat(node.address()).startsWith("127.0.0.1:");
        assertThat(node.store().head(node.id()).orElseThrow().seq()).as("capabilities announced at start").isEqualTo(1);
        node.store().append(FeedBuilder.capabilities("m")).join();
        var id = node.id();
        // the JSON API is up on loopback and speaks for this node
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(node.apiUrl() + "/node")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(node.apiUrl()).startsWith("http://127.0.0.1:");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(id.hex());
        node.stop();
        TestCluster.awaitTrue(() -> councilThreads().isEmpty(), Duration.ofSeconds(10),
                () -> "threads left after stop: " + councilThreads());

        // the same data dir opens again as the same node
        Node again = Node.start(NodeConfig.local(dir));
        assertThat(again.id()).isEqualTo(id);
        // the announcement changed (another body was appended last), so the node announces again
        assertThat(again.store().head(id).orElseThrow().seq()).isGreaterThanOrEqualTo(2);
        again.stop();
    }

    @Test
    void aPortInUseIsAClearStartupError() {
        Node first = Node.start(NodeConfig.local(dir.resolve("a")));
        try {
            int port = first.peers().listenPort();
            assertThatThrownBy(() -> Node.start(NodeConfig.local(dir.resolve("b"))
                    .withPeers(PeerConfig.localDefaults().withListenPort(port))))
                    .isInstanceOf(NodeException.class)
                    .hasMessageContaining("could not start networking");
        } finally {
            first.stop();
        }
    }
}
