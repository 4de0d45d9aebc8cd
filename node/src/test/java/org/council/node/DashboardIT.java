package org.council.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.browser.Chromium;
import org.council.node.browser.DevTools;
import org.council.node.browser.RepoRoot;
import org.council.node.council.CouncilListener;
import org.council.node.council.CouncilResult;
import org.council.node.council.CouncilTimeouts;
import org.council.node.peer.PeerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in headless Chromium against a running three-node demo network: it shows the
 * network's real data, and its in-browser verifier checks every feed (and the ledger's test
 * vectors) from the signed bytes.
 */
class DashboardIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String[] MODELS = {"llama-3b", "qwen-7b", "mistral-7b"};

    private static Path chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        chromium = Chromium.locate(); // installs it when missing, or fails saying how: never skips
    }

    @Test
    void theDashboardShowsTheDemoNetworkAndVerifiesEveryFeedInTheBrowser() throws IOException {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> nodes = startDemoNetwork(cluster);
            Node node1 = nodes.get(0);
            CouncilResult result = TestCluster.await(node1.council().ask("What makes a decision fair?", 3,
                    CouncilTimeouts.of(WAIT), CouncilListener.NONE));
            assertThat(result.stagesCompleted()).as(String.valueOf(result.failures())).isEqualTo(3);
            awaitSettled(cluster, node1);

            try (Chromium browser = Chromium.launch(chromium, dir.resolve("chromium"));
                 DevTools page = browser.openPage()) {
                page.viewport(1280, 900);
                page.navigate(node1.apiUrl().replace("/api/v1", "/dashboard/"));
                page.awaitTrue("document.body?.dataset.loaded === 'true'"
                                + " && document.querySelectorAll('#councils tr[data-council]').length > 0"
                                + " && document.querySelectorAll('#feeds tr[data-author]').length === 3",
                        WAIT, () -> "the dashboard did not load the network's data");

                // the header names this node and says its backend is simulated
                assertThat(page.evaluate("document.getElementById('node-id').textContent")).isEqualTo(node1.id().hex());
                assertThat(page.evaluate("document.getElementById('sim-banner').hidden")).isEqualTo(false);
                // every node's feed, the other two as peers
                assertThat(attributes(page, "#feeds tr[data-author]", "data-author")).containsExactlyInAnyOrderElementsOf(
                        nodes.stream().map(n -> n.id().hex()).toList());
                assertThat(attributes(page, "#peers tr[data-peer]", "data-peer")).containsExactlyInAnyOrder(
                        nodes.get(1).id().hex(), nodes.get(2).id().hex());
                // balances as the ledger has them; the asker spent credits
                for (Node n : nodes) {
                    long balance = node1.store().account(n.id()).balanceMilli();
                    assertThat(page.evaluate(cell("#accounts tr[data-account='" + n.id().hex() + "']", 2)))
                            .as("balance of %s", n.id().shortHex()).isEqualTo(units(balance));
                }
                assertThat(node1.store().account(node1.id()).spentMilli()).isPositive();
                // the council in the history, three stages, with its members
                assertThat(page.evaluate(cell("#councils tr[data-council='" + result.councilId().hex() + "']", 3)))
                        .isEqualTo("3/3");
                assertThat(attributes(page, "#councils tr[data-council] [data-id]", "data-id"))
                        .containsAll(result.members().stream().map(m -> m.node().hex()).toList());

                // when: Verify all, in the browser
                page.evaluate("document.getElementById('verify-all').click()");
                page.awaitTrue("[...document.querySelectorAll('#feeds [data-verify-state]')].every("
                                + "s => ['ok', 'failed', 'unavailable'].includes(s.dataset.verifyState))",
                        WAIT, () -> "verification did not finish");

                // and: node 1's own events, newest first
                long ownHead = node1.store().head(node1.id()).orElseThrow().seq();
                page.evaluate("document.querySelector(\"#feeds tr[data-author='" + node1.id().hex()
                        + "'] button[data-action=events]\").click()");
                page.awaitTrue("document.querySelectorAll('#events tbody tr').length === " + Math.min(ownHead, 25),
                        WAIT, () -> "node 1's events were not shown");
                Files.write(Path.of("target", "dashboard.png"), page.screenshot());
                assertThat(page.evaluate(cell("#events tbody tr", 1))).isEqualTo(String.valueOf(ownHead));
                assertThat(page.evaluate(cell("#events tbody tr", 3))).isEqualTo("rating");

                // then: every feed verified, with as many events as the store's head
                for (Node n : nodes) {
                    long head = node1.store().head(n.id()).orElseThrow().seq();
                    String row = "#feeds tr[data-author='" + n.id().hex() + "'] [data-verify-state]";
                    assertThat(page.evaluate("document.querySelector(\"" + row + "\").textContent"))
                            .as("verification of %s", n.id().shortHex())
                            .isEqualTo("✓ " + head + " events verified");
                    assertThat(page.evaluate("document.querySelector(\"" + row + "\").dataset.verifiedCount"))
                            .isEqualTo(String.valueOf(head));
                }
                assertThat(page.console()).as("the page logged no errors").noneMatch(l -> l.startsWith("uncaught")
                        || l.startsWith("error"));
            }
        }
    }

    @Test
    void theBrowserVerifierAcceptsTheLedgerTestVectorsAndRejectsTamperedEvents() throws IOException {
        JsonArray vectors = new JsonArray(Files.readString(RepoRoot.find().resolve("docs/test-vectors/events.json")));
        try (TestCluster cluster = new TestCluster(dir);
             Chromium browser = Chromium.launch(chromium, dir.resolve("chromium"));
             DevTools page = browser.openPage()) {
            Node node = cluster.add(Node.start(config(dir.resolve("n"), List.of(), MODELS[0])));
            page.navigate(node.apiUrl().replace("/api/v1", "/dashboard/"));
            page.awaitTrue("document.body?.dataset.loaded === 'true'", WAIT, () -> "the dashboard did not load");

            JsonObject out = (JsonObject) page.evaluate("(" + resource("/dashboard/vector-check.js") + ")("
                    + vectors.encode() + ")");

            assertThat(out.getJsonObject("support").getBoolean("ok")).as(out.encode()).isTrue();
            assertThat(out.getJsonArray("bytes")).hasSize(vectors.size()).allSatisfy(b -> assertThat((JsonObject) b)
                    .isEqualTo(new JsonObject().put("signingInput", true).put("payload", true).put("signature", true)));
            assertThat(out.getJsonObject("firstFeed")).isEqualTo(new JsonObject().put("ok", true).put("count", 3));
            assertThat(out.getJsonObject("secondFeed")).isEqualTo(new JsonObject().put("ok", true).put("count", 2));
            JsonObject tampered = out.getJsonObject("tampered");
            assertThat(tampered.getString("signature")).isEqualTo("event 2: bad signature");
            assertThat(tampered.getString("payload")).isEqualTo("event 2: bad signature");
            assertThat(tampered.getString("prev")).startsWith("event 2: prev link broken");
            assertThat(tampered.getString("gap")).startsWith("event 2: sequence broken");
            assertThat(tampered.getString("order")).startsWith("event 1: sequence broken");
            assertThat(tampered.getString("otherAuthor")).startsWith("event 1: signed by author");
            assertThat(tampered.getString("id")).startsWith("event 1: id mismatch");
            assertThat(tampered.getString("truncated")).startsWith("event 1: malformed envelope");
            assertThat(tampered.getString("head")).isEqualTo("the feed head is seq 3 but 2 events were served");
        }
    }

    private static NodeConfig config(Path dir, List<String> seeds, String model) {
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(model))
                .withRate(2_000, Duration.ofMillis(5)).withCompletionTokens(24);
        return NodeConfig.local(dir).withPeers(PeerConfig.localDefaults().withSeeds(seeds))
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim));
    }

    // Like `council demo`: three nodes on loopback with simulated backends, each seeded with the ones before.
    private List<Node> startDemoNetwork(TestCluster cluster) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < MODELS.length; i++) {
            List<String> seeds = nodes.stream().map(n -> n.id().hex() + "@" + n.address()).toList();
            nodes.add(cluster.add(Node.start(config(dir.resolve("node" + (i + 1)), seeds, MODELS[i]))));
        }
        TestCluster.awaitTrue(() -> nodes.stream().allMatch(n -> n.peers().connectedPeers().size() == nodes.size() - 1
                        && nodes.stream().allMatch(o -> n.capabilities().of(o.id()) != null)),
                WAIT, () -> "the nodes did not mesh: " + cluster.describe());
        return nodes;
    }

    // The page must show final numbers: the rating is on the ledger, every receipt has both halves
    // everywhere, and all nodes hold the same feeds.
    private static void awaitSettled(TestCluster cluster, Node asker) {
        TestCluster.awaitTrue(() -> {
            try (Stream<SignedEvent> feed = asker.store().feed(asker.id(), 1, 10_000)) {
                return feed.anyMatch(e -> e.body() instanceof EventBody.Rating);
            }
        }, WAIT, () -> "no rating event");
        TestCluster.awaitTrue(() -> cluster.converged() && cluster.nodes().stream().allMatch(n ->
                        cluster.nodes().stream().allMatch(o -> n.store().account(o.id()).pendingEarnedMilli() == 0)),
                WAIT, () -> "receipts did not settle: " + cluster.describe());
    }

    private static List<String> attributes(DevTools page, String selector, String attribute) {
        JsonArray values = (JsonArray) page.evaluate("[...document.querySelectorAll(\"" + selector + "\")]"
                + ".map(e => e.getAttribute('" + attribute + "'))");
        return values.stream().map(String::valueOf).toList();
    }

    /** The text of the n-th (1-based) cell of the row the selector finds. */
    private static String cell(String row, int n) {
        return "document.querySelector(\"" + row + " td:nth-child(" + n + ")\").textContent.trim()";
    }

    private static String units(long milli) {
        return String.format(Locale.ROOT, "%.3f", milli / 1000.0);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DashboardIT.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
