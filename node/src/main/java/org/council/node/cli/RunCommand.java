package org.council.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.council.node.DataDir;
import org.council.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code council run}: runs a node until interrupted. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the node: replicate with peers, serve inference, until Ctrl-C.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "The node's directory (default: ~/.council); create it with `council init`.")
    Path dataDir;

    @Option(names = "--listen-host", description = "Address for peers (overrides listen.host).")
    String listenHost;

    @Option(names = "--listen-port", description = "Port for peers (overrides listen.port).")
    String listenPort;

    @Option(names = "--seeds", description = "Peers to dial, comma-separated (overrides seeds).")
    String seeds;

    @Option(names = "--network", description = "Network id (overrides network).")
    String network;

    @Option(names = "--simulated", description = "Add a simulated backend (overrides simulated).")
    Boolean simulated;

    @Override
    public Integer call() throws InterruptedException {
        DataDir dir = DataDir.orDefault(dataDir);
        if (!Files.exists(dir.keyFile())) {
            throw new CliException(ExitCode.CONFIG, "no node in " + dir + ": run `council init --data-dir " + dir + "` first");
        }
        Map<String, String> flags = new HashMap<>();
        put(flags, "listen.host", listenHost);
        put(flags, "listen.port", listenPort);
        put(flags, "seeds", seeds);
        put(flags, "network", network);
        put(flags, "simulated", simulated == null ? null : simulated.toString());
        Node node = Node.start(Settings.load(dir.root(), System.getenv(), flags).nodeConfig(dir.root()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping node " + node.id().shortHex() + "...");
            node.stop();
            stopped.countDown();
        }));
        System.out.println("node " + node.id().hex() + " listening on " + node.address() + " (network "
                + node.config().peers().networkId() + ")");
        System.out.println("JSON API: " + node.apiUrl());
        System.out.println("models: " + (node.catalog().models().isEmpty() ? "none (no backend answered)"
                : String.join(", ", node.catalog().models().keySet())));
        System.out.println("ledger: " + node.store().eventCount() + " events in " + node.store().heads().size()
                + " feeds; Ctrl-C to stop");
        stopped.await();
        return ExitCode.OK;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
