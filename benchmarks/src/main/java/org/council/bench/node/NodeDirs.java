package org.council.bench.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.council.crypto.KeyFiles;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;

/**
 * Node data directories for the node suite, in the layout of {@code org.council.node.DataDir}
 * ({@code node.key}, {@code council.properties}, {@code ledger/}).
 *
 * <p>The served node's ledger is a copy of the cached million-event ledger: RocksDB never changes
 * a table file once written (compaction writes new ones and unlinks the old), so the {@code .sst}
 * files are hard-linked, as RocksDB's own checkpoints do, and only the small manifest, options and
 * log files are copied. A run therefore costs no gigabyte copy and leaves the cache untouched,
 * although the node appends to its copy (its own capabilities announcement).
 *
 * <p>The node's key is fresh: the cached ledger does not keep its authors' keys, so the node starts
 * with an empty own feed among the sixteen authors' feeds, as a node that relays and audits others.
 */
final class NodeDirs {

    private NodeDirs() {
    }

    /**
     * A data directory at {@code root} whose ledger is a linked copy of {@code ledger}, a fresh key,
     * and settings that keep the node on loopback with a simulated backend only (no Ollama).
     */
    static NodeId served(Path root, Path ledger, int apiPort, int peerPort) throws IOException {
        Files.createDirectories(root);
        linkCopy(ledger, root.resolve("ledger"));
        return create(root, apiPort, peerPort, "");
    }

    /** An empty data directory for a peer that dials {@code seed} (host:port). */
    static NodeId peer(Path root, int apiPort, String seed) throws IOException {
        Files.createDirectories(root);
        return create(root, apiPort, 0, seed);
    }

    private static NodeId create(Path root, int apiPort, int peerPort, String seeds) throws IOException {
        NodeKeyPair keys = NodeKeyPair.generate();
        KeyFiles.create(root.resolve("node.key"), keys);
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("network", "council-bench");
        settings.put("listen.host", "127.0.0.1");
        settings.put("listen.port", Integer.toString(peerPort));
        settings.put("seeds", seeds);
        settings.put("ollama.urls", "");
        settings.put("simulated", "true");
        settings.put("api.host", "127.0.0.1");
        settings.put("api.port", Integer.toString(apiPort));
        settings.put("ollama.listen.host", "127.0.0.1");
        settings.put("ollama.listen.port", "0");
        Files.writeString(root.resolve("council.properties"), settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        return keys.id();
    }

    private static void linkCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<Path> files;
        try (Stream<Path> list = Files.list(from)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.equals("LOCK")) {
                continue; // RocksDB makes its own
            }
            if (name.endsWith(".sst")) {
                Files.createLink(to.resolve(name), f);
            } else {
                Files.copy(f, to.resolve(name));
            }
        }
    }

    /** A port free now on loopback (there is a small window in which another process may take it). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
