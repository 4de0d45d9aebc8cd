package org.council.node.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in a home LAN behind a MASQUERADE router dials a public node and replicates with it;
 * the public node cannot open a connection to the private address even with a route to it.
 */
class NatRouterIT {

    private static final Duration WAIT = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    private NetLab lab;
    private NetnsNode pub;
    private NetnsNode home;

    @BeforeEach
    void network() {
        NetPreconditions.assumeIptables();
        lab = NetLab.create();
    }

    @AfterEach
    void tearDown() {
        for (NetnsNode n : new NetnsNode[]{home, pub}) {
            if (n != null) {
                n.close();
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aNatedNodeDialsOutAndReplicatesButCannotBeDialled() throws Exception {
        long t0 = System.nanoTime();
        NetLab.Host server = lab.publicHost("pub");
        NetLab.NatRouter router = lab.natRouter("router");
        NetLab.Host inside = router.privateHost("home");
        lab.routeTo(server, router); // so a refusal is the router's doing, not a missing route

        pub = NetnsNode.start(server, dir.resolve("pub"), List.of());
        // What the public host sees on its wire: the router's address, never the private one.
        Capture capture = Capture.available() ? lab.capture(server, dir.resolve("pub.pcap")) : null;
        home = NetnsNode.start(inside, dir.resolve("home"), List.of(pub.seed()));
        pub.ask("APPEND 200");
        home.ask("APPEND 100");
        List<NetnsNode> both = List.of(pub, home);
        NetCluster.awaitTrue(() -> NetCluster.same(both, "HEADS") && pub.status()[1] == 2, WAIT,
                () -> "NATed node did not replicate: " + NetCluster.describe(both));
        System.out.printf("[netns] nat: NATed node %s replicated with public %s in %.1fs%n",
                home.address(), pub.address(), NetCluster.seconds(t0));

        if (capture != null) {
            capture.close();
            String seen = capture.summary();
            assertThat(seen).as("the public host saw the session").contains(router.wan().address() + ".");
            assertThat(seen).as("no private address on the internet").doesNotContain("10.200.");
        } else {
            System.out.println("[netns] nat: no tcpdump, the capture check is left out");
        }

        int port = Integer.parseInt(home.address().substring(home.address().lastIndexOf(':') + 1));
        assertThat(home.ask("CONNECT " + inside.address() + " " + port + " 2000"))
                .as("the home node listens on its private address").startsWith("CONNECT ok");
        assertThat(pub.ask("CONNECT " + inside.address() + " " + port + " 3000"))
                .as("the public node cannot dial behind the NAT").startsWith("CONNECT failed");
        assertThat(pub.ask("CONNECT " + router.wan().address() + " " + port + " 3000"))
                .as("nor the router's public address").startsWith("CONNECT failed");
    }
}
