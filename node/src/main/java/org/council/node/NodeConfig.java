package org.council.node;

import java.nio.file.Path;
import org.council.ledger.store.LedgerConfig;
import org.council.node.peer.PeerConfig;

/**
 * Everything a node needs to start: where its data lives and how it meets peers.
 *
 * @param dataDir   directory holding {@code node.key} (created on first start, owner-only) and
 *                  {@code ledger/} (RocksDB)
 * @param inference model backends, scheduler and operator-trusted peers
 * @param apiHost   address of the JSON API (loopback unless configured)
 * @param apiPort   port of the JSON API (0 = any free port)
 */
public record NodeConfig(Path dataDir, PeerConfig peers, LedgerConfig ledger, InferenceConfig inference,
                         String apiHost, int apiPort) {

    public NodeConfig {
        if (apiPort < 0 || apiPort > 65535) {
            throw new IllegalArgumentException("api port must be 0..65535, got " + apiPort);
        }
    }

    /** Loopback, a free port, a simulated backend: a node that works with nothing else installed. */
    public static NodeConfig local(Path dataDir) {
        return new NodeConfig(dataDir, PeerConfig.localDefaults(), LedgerConfig.defaults(),
                InferenceConfig.simulatedOnly(), "127.0.0.1", 0);
    }

    public NodeConfig withPeers(PeerConfig p) {
        return new NodeConfig(dataDir, p, ledger, inference, apiHost, apiPort);
    }

    public NodeConfig withInference(InferenceConfig i) {
        return new NodeConfig(dataDir, peers, ledger, i, apiHost, apiPort);
    }

    public Path keyFile() {
        return dataDir.resolve("node.key");
    }

    public Path ledgerDir() {
        return dataDir.resolve("ledger");
    }
}
