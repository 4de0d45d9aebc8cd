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
 * Dial-backs across a real NAT: a node behind a MASQUERADE router learns it is PRIVATE (its peer
 * observes the router's address, where nothing forwards to it) and sees that address; the public
 * node it dials learns it is PUBLIC.
 */
class ReachabilityIT {

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
    void theNatedNodeLearnsItIsPrivateAndThePublicOneThatItIsPublic() throws Exception {
        long t0 = System.nanoTime();
        NetLab.Host server = lab.publicHost("pub");
        NetLab.NatRouter router = lab.natRouter("router");
        NetLab.Host inside = router.privateHost("home");
        lab.routeTo(server, router); // so a failed dial-back is the router's doing, not a missing route

        pub = NetnsNode.start(server, dir.resolve("pub"), List.of());
        home = NetnsNode.start(inside, dir.resolve("home"), List.of(pub.seed()));
        NetCluster.awaitTrue(() -> home.ask("REACHABILITY").startsWith("REACHABILITY PRIVATE")
                        && pub.ask("REACHABILITY").startsWith("REACHABILITY PUBLIC"), WAIT,
                () -> "home: " + home.ask("REACHABILITY") + ", pub: " + pub.ask("REACHABILITY"));
        String[] h = home.ask("REACHABILITY").split(" ");
        assertThat(h[2]).as("the NATed node's peer observed the router's public address")
                .isEqualTo(router.wan().address());
        String[] p = pub.ask("REACHABILITY").split(" ");
        assertThat(p[2]).as("the public node is seen at its own address").isEqualTo(server.address());
        System.out.printf("[netns] reachability: home %s, pub %s in %.1fs%n", String.join(" ", h),
                String.join(" ", p), NetCluster.seconds(t0));
    }
}
