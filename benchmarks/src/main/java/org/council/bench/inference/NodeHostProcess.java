package org.council.bench.inference;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.ledger.event.EventBody;
import org.council.node.InferenceConfig;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.peer.PeerConfig;

/**
 * The node side of {@code inference.overhead}, in its own JVM so that its CPU time is the nodes'
 * alone (the fake backend and the clients run in the driver). Mode {@code local}: one node whose
 * Ollama backend is the fake. Mode {@code hop}: a server node whose backend is the fake and a
 * requester node with no model, seeded with the server, so that the requester's Ollama-compatible
 * endpoint sends the model to the server over the TLS peer transport; both nodes count.
 *
 * <p>The node takes one Ollama URL per concurrent stream: its Ollama backend allows one call at a
 * time (Ollama's default), and {@link InferenceConfig} has no setting for more, so {@code slots}
 * copies of the same URL give the scheduler {@code slots} backend slots.
 *
 * <p>Usage: {@code NodeHostProcess local|hop BACKEND_URL SLOTS DIR}; prints {@code ready OLLAMA_URL},
 * then answers {@code sample} with {@code sample} and a {@link NodeSample}, and ends on {@code quit}
 * or end of input.
 */
public final class NodeHostProcess {

    private NodeHostProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String mode = args[0];
        InferenceConfig fake = new InferenceConfig(Collections.nCopies(Integer.parseInt(args[2]), args[1]), null,
                SchedulerConfig.defaults(), List.of());
        Path dir = Path.of(args[3]);
        List<Node> nodes = new ArrayList<>();
        try {
            Node server = Node.start(NodeConfig.local(dir.resolve("server")).withInference(fake));
            nodes.add(server);
            Node front = server;
            if (mode.equals("hop")) {
                front = Node.start(NodeConfig.local(dir.resolve("requester"))
                        .withPeers(PeerConfig.localDefaults().withSeeds(List.of(server.id().hex() + "@" + server.address())))
                        .withInference(new InferenceConfig(List.of(), null, SchedulerConfig.defaults(), List.of())));
                nodes.add(front);
                awaitPeerModel(front, server);
            }
            out.println("ready " + front.ollamaUrl());
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
                out.println(line.trim().equals("sample") ? "sample " + NodeSample.now().encode()
                        : "error unknown command " + line);
                out.flush();
            }
        } finally {
            Collections.reverse(nodes);
            nodes.forEach(Node::stop);
        }
    }

    /** The requester routes a model only peers announce to a connected peer: wait for both. */
    private static void awaitPeerModel(Node requester, Node server) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            EventBody.CapabilitiesAnnounced caps = requester.capabilities().of(server.id());
            if (requester.peers().connectedPeers().containsKey(server.id()) && caps != null
                    && caps.models().stream().anyMatch(m -> m.name().equals(PacedOllama.MODEL))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the requester did not see the server's model within 60 s");
    }
}
