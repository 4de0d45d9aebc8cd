package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.ScopeConfig;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.TestCluster;
import org.council.node.routing.NetworkChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication scope over the real TLS transport on loopback: a line of nodes, each connected only
 * to its neighbours (no outbound slots beyond the seed), each serving the next, with two trust hops.
 */
class ReplicationScopeIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int HOPS = 2;

    @TempDir
    Path dir;

    private static PeerConfig scoped(List<Node> seeds) {
        return PeerConfig.localDefaults()
                .withSeeds(seeds.stream().map(n -> n.id().hex() + "@" + n.address()).toList())
                .withConnections(6, 0) // seeds only: learned addresses are not dialled, the line stays a line
                .withReplication(PeerConfig.Replication.scoped(new ScopeConfig(HOPS, 100), Set.of()));
    }

    @Test
    void aLineWithTwoHopsHoldsEveryReceiptWhereItIsNeededAndNothingBeyond() {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> line = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                line.add(cluster.start("n" + i, scoped(i == 0 ? List.of() : List.of(line.get(i - 1)))));
            }
            awaitLinked(line);

            // each node serves the next: a proposal, then the requester's acknowledgement once it holds it
            List<SignedEvent[]> receipts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                receipts.add(serve(line.get(i), line.get(i + 1)));
            }

            // then: both halves of every receipt reach both parties and every node within two hops of either
            for (int r = 0; r < receipts.size(); r++) {
                for (int m = Math.max(0, r - HOPS); m <= Math.min(5, r + 1 + HOPS); m++) {
                    Node holder = line.get(m);
                    for (SignedEvent half : receipts.get(r)) {
                        awaitHolds(holder, half, "receipt " + r + " at n" + m);
                    }
                }
            }
            // and the ends do not hold each other's feeds (nor anything past the partial edge)
            assertThat(line.get(0).store().head(line.get(5).id())).isEmpty();
            assertThat(line.get(5).store().head(line.get(0).id())).isEmpty();
            assertThat(line.get(0).store().head(line.get(4).id())).isEmpty();
            assertThat(line.get(5).store().head(line.get(1).id())).isEmpty();

            // when: a newcomer joins at the end and serves n5 once
            Node newcomer = cluster.start("n6", scoped(List.of(line.get(5))));
            TestCluster.awaitTrue(() -> line.get(5).peers().connectedPeers().containsKey(newcomer.id()), WAIT,
                    () -> "n6 did not connect");
            SignedEvent[] first = serve(newcomer, line.get(5));

            // then: n4, one hop from n5, pulls the newcomer's feed through n5 though it never met it,
            // and n3 pulls it up to the proposal its acknowledgement names
            awaitHolds(line.get(4), first[0], "newcomer's proposal at n4");
            awaitHolds(line.get(3), first[0], "newcomer's proposal at n3");
            assertThat(line.get(4).peers().connectedPeers()).doesNotContainKey(newcomer.id());
            assertThat(line.get(2).store().head(newcomer.id())).as("three hops from n5's side").isEmpty();
        }
    }

    @Test
    void aFeedThatLeavesTheScopeStopsArriving() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", scoped(List.of()));
            Node b = cluster.start("b", scoped(List.of(a)));
            Node z = cluster.start("z", scoped(List.of(a, b)));
            serve(a, b);
            TestCluster.awaitTrue(() -> a.peers().connectedPeers().containsKey(z.id())
                    && b.peers().connectedPeers().containsKey(z.id()), WAIT, () -> "z did not connect to a and b");
            // z has no receipt with anyone: it is in a's and b's scopes only while connected
            SignedEvent before = z.store().append(FeedBuilder.capabilities("z-1")).join();
            awaitHolds(a, before, "z's event at a while connected");

            // when: a cuts z off; z's feed still reaches b, the one peer a still has
            a.peers().block(z.id());
            TestCluster.awaitTrue(() -> !a.peers().connectedPeers().containsKey(z.id()), WAIT, () -> "a kept z");
            SignedEvent after = z.store().append(FeedBuilder.capabilities("z-2")).join();
            awaitHolds(b, after, "z's event at b");
            // b writes after it took z's event: were z still wanted by a, it would be sent first
            SignedEvent marker = b.store().append(FeedBuilder.capabilities("b-marker")).join();
            awaitHolds(a, marker, "b's marker at a");

            // then
            assertThat(a.store().head(z.id()).orElseThrow().seq()).isLessThan(after.seq());
        }
    }

    @Test
    void aRealRemoteJobBetweenScopedNodesLandsItsReceiptWhereItIsNeeded() {
        try (TestCluster cluster = new TestCluster(dir)) {
            // a server, a requester that knows it only by connecting to it, and a watcher of the requester
            Node server = startServing(cluster, "server", "qwen-7b", List.of());
            Node requester = startServing(cluster, "requester", "llama-3b", List.of(server));
            Node watcher = startServing(cluster, "watcher", "llama-3b", List.of(requester));
            TestCluster.awaitTrue(() -> requester.capabilities().of(server.id()) != null, WAIT,
                    () -> "the requester never saw the server's models (connected peers are in scope)");

            // when: the requester's user asks for the model only the server has
            NetworkChat chat = new NetworkChat(requester.bridge(), requester.catalog(), requester.capabilities(),
                    requester.peers(), requester.karma(), requester.inference().client(), requester.council());
            InferenceResult result = TestCluster.await(chat.submit(InferenceRequest.chat(RequesterId.of("user"),
                    "simulated-qwen-7b", List.of(ChatMessage.user("Why?"))), TokenSink.NONE).result());
            assertThat(result.backend()).isEqualTo("peer " + server.id().shortHex());

            // then: both halves at both parties, and at the watcher that never connected to the server
            SignedEvent ack = lastOwn(requester, EventBody.ServiceAcknowledged.class);
            SignedEvent proposal = lastOwn(server, EventBody.ServiceProposed.class);
            for (Node n : List.of(server, requester, watcher)) {
                awaitHolds(n, proposal, "the proposal");
                awaitHolds(n, ack, "the acknowledgement");
            }
            assertThat(watcher.peers().connectedPeers()).doesNotContainKey(server.id());
        }
    }

    /**
     * Churn ends a counterparty's session and no other peer replicates its feed: only the dialler's
     * scope neighbours bring its newer events (here no outbound slot and no seed leads to it).
     */
    @Test
    void aCounterpartyWhoseSessionEndedIsRedialledForItsNewerEvents() throws java.io.IOException {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node hub = cluster.start("hub", scoped(List.of()));
            Node a = cluster.start("a", scoped(List.of(hub)));
            Node p = cluster.start("p", scoped(List.of(a))); // p dials a: a knows p's address from its hello only
            TestCluster.awaitTrue(() -> a.peers().connectedPeers().keySet().containsAll(List.of(hub.id(), p.id())), WAIT,
                    () -> "a did not connect to the hub and p");
            serve(p, a);
            int port = Integer.parseInt(p.address().substring(p.address().lastIndexOf(':') + 1));

            // when: the session ends (a refuses p meanwhile), and p comes back with no address to dial
            a.peers().block(p.id());
            cluster.stop(p);
            // p saved a as an anchor: it must not dial a back (a would refuse it, and it would ban a);
            // only a's scope dialler may bring the two together again
            java.nio.file.Files.deleteIfExists(dir.resolve("p").resolve("anchors"));
            Node back = cluster.start("p", scoped(List.of()).withListenPort(port));
            SignedEvent newer = back.store().append(FeedBuilder.capabilities("p-after")).join();
            assertThat(a.store().head(back.id()).orElseThrow().seq()).isLessThan(newer.seq());
            // a's other peer holds p's feed only up to the receipt a's acknowledgement names (a partial feed)
            assertThat(hub.store().head(back.id()).map(h -> h.seq()).orElse(0L)).isLessThan(newer.seq());
            a.peers().unblock(back.id());

            // then: a dials p back (a catch-up session beyond its outbound slots) and takes the newer event
            awaitHolds(a, newer, "p's newer event at a");
            // and the catch-up session ends once it brought what p holds
            TestCluster.awaitTrue(() -> !a.peers().connectedPeers().containsKey(back.id()), WAIT,
                    () -> "a kept its catch-up session with p");
        }
    }

    private Node startServing(TestCluster cluster, String name, String model, List<Node> seeds) {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(2_000, Duration.ofMillis(5)).withCompletionTokens(16);
        return cluster.add(Node.start(NodeConfig.local(dir.resolve(name)).withPeers(scoped(seeds))
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim))));
    }

    /** The last event of {@code kind} in the node's own feed, waiting for it to be written. */
    private static SignedEvent lastOwn(Node node, Class<? extends EventBody> kind) {
        SignedEvent[] found = new SignedEvent[1];
        TestCluster.awaitTrue(() -> {
            try (var events = node.store().allEvents()) {
                events.filter(e -> e.author().equals(node.id()) && kind.isInstance(e.body())).reduce((x, y) -> y)
                        .ifPresent(e -> found[0] = e);
            }
            return found[0] != null;
        }, WAIT, () -> node.id().shortHex() + " wrote no " + kind.getSimpleName());
        return found[0];
    }

    /** {@code server} proposes, {@code requester} acknowledges once the proposal reached it. */
    private static SignedEvent[] serve(Node server, Node requester) {
        SignedEvent proposal = server.store().append(FeedBuilder.proposal(requester.id(), 1_000)).join();
        awaitHolds(requester, proposal, "proposal at its requester");
        SignedEvent ack = requester.store().append(FeedBuilder.ack(proposal)).join();
        assertThat(ack.body()).isInstanceOf(EventBody.ServiceAcknowledged.class);
        return new SignedEvent[] {proposal, ack};
    }

    private static void awaitHolds(Node node, SignedEvent event, String what) {
        NodeId author = event.author();
        TestCluster.awaitTrue(() -> node.store().head(author).map(h -> h.seq() >= event.seq()).orElse(false), WAIT,
                () -> what + ": " + node.id().shortHex() + " holds " + node.store().head(author) + " of "
                        + author.shortHex() + ", needs seq " + event.seq());
    }

    private static void awaitLinked(List<Node> line) {
        for (int i = 1; i < line.size(); i++) {
            Node left = line.get(i - 1);
            Node right = line.get(i);
            TestCluster.awaitTrue(() -> right.peers().connectedPeers().containsKey(left.id()), WAIT,
                    () -> right.id().shortHex() + " did not connect to its seed");
        }
    }
}
