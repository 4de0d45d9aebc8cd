package org.council.node;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.peer.PeerConfig;

/**
 * A node in its own JVM for {@code NodeProcessIT}: {@code dataDir seeds|- events}. Prints
 * {@code LISTENING <id> <host:port>}, appends its events, prints {@code APPENDED}, then serves
 * until its standard input closes (answering {@code COUNT} with {@code COUNT <events> <feeds>}),
 * and stops cleanly.
 */
public final class NodeProcessMain {

    private NodeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> seeds = args[1].equals("-") ? List.of() : Arrays.asList(args[1].split(","));
        Node node = Node.start(NodeConfig.local(Path.of(args[0])).withPeers(PeerConfig.localDefaults().withSeeds(seeds)));
        System.out.println("LISTENING " + node.id().hex() + " " + node.address());
        System.out.flush();
        List<CompletableFuture<?>> appends = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            appends.add(node.store().append(FeedBuilder.capabilities("process-model-" + i)));
        }
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).join();
        System.out.println("APPENDED");
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) { // serve until the parent closes our stdin
                if (line.equals("COUNT")) {
                    System.out.println("COUNT " + node.store().eventCount() + " " + node.store().heads().size());
                    System.out.flush();
                }
            }
        }
        node.stop();
        System.out.println("STOPPED");
    }
}
