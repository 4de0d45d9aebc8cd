package org.council.node.netns;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.ledger.event.FeedHead;
import org.council.ledger.store.Account;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.council.CouncilResult;
import org.council.node.council.CouncilTimeouts;
import org.council.node.peer.PeerConfig;

/**
 * A node in its own JVM inside a network namespace, for the namespace ITs. Its configuration comes
 * from {@code key=value} arguments ({@code data=}, {@code host=}, {@code port=}, {@code seeds=a,b|-},
 * {@code model=}) so that later changes can add keys without a new main. Prints
 * {@code @@ LISTENING <id> <host:port>}, then answers one command per line on standard input with
 * one line starting {@code @@ } on standard output (the node's own logs may share stdout, so the
 * parent reads only those lines). Stops when standard input closes.
 *
 * <p>Commands: {@code APPEND n}, {@code STATUS}, {@code HEADS}, {@code BALANCES},
 * {@code COUNCIL size seconds question...}, {@code CONNECT host port timeoutMs} (a plain TCP connect
 * from this namespace: {@code CONNECT ok <ms>} or {@code CONNECT failed <why>}), {@code REACHABILITY}
 * ({@code REACHABILITY <UNKNOWN|PUBLIC|PRIVATE> <observed host or -> <answers>}), {@code RELAY}
 * ({@code RELAY <held> <served> <circuits> <opened> <refused> <bytes relayed> <relayed peers, comma-separated, or ->}),
 * {@code TAPGREP needle} ({@code TAPGREP <bytes this node relayed> <whether they hold needle>}). The key
 * {@code relay=off} turns relaying for others off.
 */
public final class NetnsNodeMain {

    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    /** Every circuit byte this node relayed for others, as the relay saw it. */
    private static final java.io.ByteArrayOutputStream TAP = new java.io.ByteArrayOutputStream();

    private NetnsNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Node node = Node.start(config(a));
        node.peers().tapRelayedBytes(TAP::writeBytes);
        reply("LISTENING " + node.id().hex() + " " + node.address());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) { // serve until the parent closes our stdin
                try {
                    reply(answer(node, line.trim()));
                } catch (Exception e) {
                    reply("ERR " + e.toString().replace('\n', ' '));
                }
            }
        }
        node.stop();
        reply("STOPPED");
    }

    static NodeConfig config(Map<String, String> a) {
        String seedsArg = a.getOrDefault("seeds", "-");
        List<String> seeds = seedsArg.equals("-") ? List.of() : Arrays.asList(seedsArg.split(","));
        PeerConfig d = PeerConfig.localDefaults();
        // Relaxed local defaults, but listening on the namespace's own address: other namespaces
        // cannot reach 127.0.0.1 of this one.
        PeerConfig peers = new PeerConfig(d.networkId(), a.getOrDefault("host", d.listenHost()),
                Integer.parseInt(a.getOrDefault("port", "0")), seeds, d.maxConnections(), d.targetConnections(),
                d.banDuration(), d.duplicateBudget(), d.duplicateRefillPerSecond(), d.lan())
                .withRelay(d.relay().withEnabled(!a.getOrDefault("relay", "on").equals("off")));
        SimulatedConfig sim = SimulatedConfig.defaults().withModels(List.of(a.getOrDefault("model", "llama-3b")))
                .withRate(2_000, Duration.ofMillis(5)).withCompletionTokens(24);
        return NodeConfig.local(Path.of(a.get("data"))).withPeers(peers)
                .withInference(InferenceConfig.simulatedOnly().withSimulated(sim));
    }

    private static String answer(Node node, String line) throws Exception {
        String[] w = line.split(" ", 4);
        switch (w[0]) {
            case "APPEND": {
                long t0 = System.nanoTime();
                int n = Integer.parseInt(w[1]);
                String tag = node.id().shortHex() + "-" + System.nanoTime();
                for (int done = 0; done < n; ) { // in chunks, so the writer queue is never flooded
                    List<CompletableFuture<?>> chunk = new ArrayList<>();
                    for (int i = 0; i < 500 && done < n; i++, done++) {
                        chunk.add(node.store().append(FeedBuilder.capabilities("m-" + tag + "-" + done)));
                    }
                    CompletableFuture.allOf(chunk.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
                return "APPENDED " + n + " " + (System.nanoTime() - t0) / 1_000_000;
            }
            case "STATUS":
                return "STATUS " + node.store().eventCount() + " " + node.store().heads().size() + " "
                        + node.peers().connectedPeers().size();
            case "HEADS":
                return "HEADS " + node.store().heads().stream().map(NetnsNodeMain::head)
                        .collect(Collectors.joining(";"));
            case "BALANCES":
                return "BALANCES " + node.store().accounts().stream().map(NetnsNodeMain::account)
                        .collect(Collectors.joining(";"));
            case "COUNCIL":
                return council(node, Integer.parseInt(w[1]), Integer.parseInt(w[2]), w[3]);
            case "REACHABILITY": // status, observed host or -, answers
                return "REACHABILITY " + node.peers().reachability().status() + " "
                        + node.peers().reachability().observedHost().orElse("-") + " "
                        + node.peers().reachability().answers();
            case "RELAY": {
                org.council.node.peer.RelayStatus r = node.peers().relayStatus();
                String relayed = node.peers().relayedPeers().toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS).stream().map(id -> id.hex()).sorted().collect(Collectors.joining(","));
                return "RELAY " + r.reservationsHeld() + " " + r.reservationsServed() + " " + r.circuits() + " "
                        + r.circuitsOpened() + " " + r.circuitsRefused() + " " + r.bytesRelayed() + " "
                        + (relayed.isEmpty() ? "-" : relayed);
            }
            case "TAPGREP": {
                byte[] seen = TAP.toByteArray();
                String text = new String(seen, StandardCharsets.ISO_8859_1);
                return "TAPGREP " + seen.length + " " + text.contains(line.substring("TAPGREP ".length()));
            }
            case "CONNECT":
                return connect(w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]));
            default:
                return "ERR unknown command " + w[0];
        }
    }

    private static String council(Node node, int size, int seconds, String question) throws Exception {
        long t0 = System.nanoTime();
        CouncilResult r = node.council().ask(question, size, CouncilTimeouts.of(Duration.ofSeconds(seconds)), e -> { })
                .toCompletionStage().toCompletableFuture().get(seconds * 4L, TimeUnit.SECONDS);
        String members = r.members().stream().map(m -> m.node().hex()).collect(Collectors.joining(","));
        return "COUNCIL " + r.stagesCompleted() + " " + (System.nanoTime() - t0) / 1_000_000 + " "
                + (r.answer() != null && !r.answer().isBlank()) + " " + members;
    }

    private static String connect(String host, int port, int timeoutMs) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return "CONNECT ok " + (System.nanoTime() - t0) / 1_000_000;
        } catch (Exception e) {
            return "CONNECT failed " + e.getClass().getSimpleName();
        }
    }

    private static String head(FeedHead h) {
        return h.author().hex() + ":" + h.seq() + ":" + h.id();
    }

    private static String account(Account c) {
        return c.id().hex() + ":" + c.earnedMilli() + ":" + c.spentMilli() + ":" + c.pendingEarnedMilli() + ":"
                + c.servedJobs() + ":" + c.requestedJobs();
    }

    private static void reply(String s) {
        OUT.println("@@ " + s);
    }
}
