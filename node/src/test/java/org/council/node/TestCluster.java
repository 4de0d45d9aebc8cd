package org.council.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.council.ledger.event.FeedHead;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.node.peer.PeerConfig;

/** Starts nodes on loopback in one JVM and waits for them to agree. */
public final class TestCluster implements AutoCloseable {

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();

    public TestCluster(Path root) {
        this.root = root;
    }

    public Node start(String name, List<String> seeds) {
        return start(name, PeerConfig.localDefaults().withSeeds(seeds));
    }

    public Node start(String name, PeerConfig peers) {
        Node n = Node.start(NodeConfig.local(root.resolve(name)).withPeers(peers));
        nodes.add(n);
        return n;
    }

    /** Adopts a node started elsewhere, so that the cluster stops it and compares it. */
    public Node add(Node n) {
        nodes.add(n);
        return n;
    }

    public void stop(Node n) {
        n.stop();
        nodes.remove(n);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future failed: " + e, e);
        }
    }

    /** Waits until every node holds the same feeds at the same heads and the same projections. */
    public void awaitConverged(Duration timeout) {
        awaitTrue(this::converged, timeout, () -> "nodes did not converge: " + describe());
    }

    public boolean converged() {
        List<FeedHead> first = nodes.get(0).store().heads();
        for (Node n : nodes) {
            if (!n.store().heads().equals(first)) {
                return false;
            }
        }
        return true;
    }

    public boolean projectionsEqual() {
        List<byte[][]> first = ((RocksLedgerStore) nodes.get(0).store()).projectionDump();
        for (Node n : nodes) {
            List<byte[][]> other = ((RocksLedgerStore) n.store()).projectionDump();
            if (other.size() != first.size()) {
                return false;
            }
            for (int i = 0; i < first.size(); i++) {
                if (!java.util.Arrays.equals(first.get(i)[0], other.get(i)[0])
                        || !java.util.Arrays.equals(first.get(i)[1], other.get(i)[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append("\n  ").append(n.id().shortHex()).append(" events=").append(n.store().eventCount())
                    .append(" feeds=").append(n.store().heads().size())
                    .append(" peers=").append(n.peers().connectedPeers().size());
        }
        return sb.toString();
    }

    public static void awaitTrue(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError(message.get());
    }

    @Override
    public void close() {
        for (Node n : new ArrayList<>(nodes)) {
            n.stop();
        }
        nodes.clear();
    }
}
