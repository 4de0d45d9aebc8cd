package org.council.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.store.Account;
import org.council.ledger.store.LedgerConfig;
import org.council.node.ApiConfig;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.council.CouncilEvent;
import org.council.node.council.CouncilResult;
import org.council.node.council.CouncilTimeouts;
import org.council.node.peer.PeerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code council demo}: a local network on loopback (simulated backends, plus Ollama when one
 * answers on 127.0.0.1:11434), one council query, balances and karma; then it keeps serving
 * until Ctrl-C, or exits with {@code --exit}. With {@code --json} the last line is one JSON object.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local demo network, run a council query, show balances and karma.")
final class DemoCommand implements Callable<Integer> {

    private static final String[] MODELS = {"llama-3b", "qwen-7b", "mistral-7b", "phi-3b", "gemma-2b"};

    @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (2..12, default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line.")
    boolean json;

    @Option(names = "--exit", description = "Stop after the summary instead of serving until Ctrl-C.")
    boolean exit;

    @Option(names = "--question", defaultValue = "What makes a decision fair when nobody is in charge?",
            description = "The question for the council.")
    String question;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 12) {
            throw new CliException(ExitCode.USAGE, "--nodes must be 2..12, got " + nodes);
        }
        Path root = Files.createTempDirectory("council-demo");
        boolean ollama = ollamaAnswers();
        say("demo network of " + nodes + " nodes in " + root + (ollama ? " (node 1 also uses the local Ollama)"
                : " (simulated backends: no Ollama answered on 127.0.0.1:11434)"));
        List<Node> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                List<String> seeds = started.stream().map(n -> n.id().hex() + "@" + n.address()).toList();
                SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(MODELS[i % MODELS.length]))
                        .withRate(400, Duration.ofMillis(20));
                InferenceConfig inf = new InferenceConfig(i == 0 && ollama ? List.of("http://127.0.0.1:11434") : List.of(),
                        sim, SchedulerConfig.defaults(), List.of());
                Node n = Node.start(new NodeConfig(root.resolve("node" + (i + 1)),
                        PeerConfig.localDefaults().withNetworkId("council-demo").withSeeds(seeds),
                        LedgerConfig.defaults(), inf, ApiConfig.local()));
                started.add(n);
                say("node " + (i + 1) + ": " + n.id().hex() + ", models " + String.join(", ", n.catalog().models().keySet()));
                say("  API " + n.apiUrl() + "  dashboard " + n.apiUrl().replace("/api/v1", "/dashboard/")
                        + "  Ollama-compatible " + n.ollamaUrl() + "  peers " + n.address());
            }
            awaitMesh(started);
            Node asker = started.get(0);
            say("asking the council: " + question);
            CouncilResult result = asker.council().ask(question, nodes, CouncilTimeouts.of(Duration.ofSeconds(60)),
                            this::progress)
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            say("stages completed: " + result.stagesCompleted() + "/3");
            say("answer: " + (result.answer() == null ? "(none: " + result.failures() + ")" : result.answer()));
            awaitBalances(started);
            asker.karma().refresh(); // karma is recomputed lazily; show the settled receipts' effect now
            JsonArray accounts = new JsonArray();
            for (Node n : started) {
                Account a = asker.store().account(n.id());
                accounts.add(new JsonObject().put("id", n.id().hex()).put("balance_milli", a.balanceMilli())
                        .put("earned_milli", a.earnedMilli()).put("spent_milli", a.spentMilli())
                        .put("karma_at_asker", asker.karma().karma(n.id())));
                say(String.format("  %s  balance %8.3f  earned %8.3f  spent %8.3f  karma at node 1 %.3f",
                        n.id().shortHex(), a.balanceMilli() / 1000.0, a.earnedMilli() / 1000.0,
                        a.spentMilli() / 1000.0, asker.karma().karma(n.id())));
            }
            JsonArray nodeList = new JsonArray();
            started.forEach(n -> nodeList.add(new JsonObject().put("id", n.id().hex()).put("api", n.apiUrl())
                    .put("ollama", n.ollamaUrl()).put("peers", n.address())
                    .put("dashboard", n.apiUrl().replace("/api/v1", "/dashboard/"))));
            JsonObject summary = new JsonObject().put("nodes", nodeList)
                    .put("council", new JsonObject().put("stages_completed", result.stagesCompleted())
                            .put("members", new JsonArray(result.members().stream()
                                    .map(m -> new JsonObject().put("id", m.node().hex()).put("model", m.model())).toList()))
                            .put("answer", result.answer()))
                    .put("accounts", accounts);
            if (json) {
                System.out.println(summary.encode());
            }
            if (!exit) {
                say("serving until Ctrl-C");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.forEach(Node::stop);
                    forever.countDown();
                }));
                forever.await();
                started.clear();
            }
            return result.stagesCompleted() == 3 ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            started.forEach(Node::stop);
        }
    }

    private void progress(CouncilEvent e) {
        if (e instanceof CouncilEvent.StageEnded s) {
            say("stage " + s.report().stage().id() + ": " + s.report().status()
                    + (s.report().detail() == null || s.report().detail().isBlank() ? "" : " (" + s.report().detail() + ")"));
        } else if (e instanceof CouncilEvent.MemberFailed f) {
            say("  member " + f.failure().member().node().shortHex() + " failed: " + f.failure().reason());
        }
    }

    /** Progress lines: to standard error with --json so that standard output ends with the summary. */
    private void say(String line) {
        (json ? System.err : System.out).println(line);
    }

    private static void awaitMesh(List<Node> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(n -> n.peers().connectedPeers().size() == nodes.size() - 1
                    && nodes.stream().allMatch(o -> n.capabilities().of(o.id()) != null))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new CliException(ExitCode.FAILED, "the demo nodes did not connect within 30 s");
    }

    /** Receipts settle as both halves replicate; wait until every node holds the same feeds. */
    private static void awaitBalances(List<Node> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline
                && !nodes.stream().allMatch(n -> n.store().heads().equals(nodes.get(0).store().heads()))) {
            Thread.sleep(50);
        }
    }

    private static boolean ollamaAnswers() {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:11434/api/version"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
