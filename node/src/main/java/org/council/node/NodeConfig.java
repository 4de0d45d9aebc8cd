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
 */
public record NodeConfig(Path dataDir, PeerConfig peers, LedgerConfig ledger, InferenceConfig inference) {

    /** Loopback, a free port, a simulated backend: a node that works with nothing else installed. */
    public static NodeConfig local(Path dataDir) {
        return new NodeConfig(dataDir, PeerConfig.localDefaults(), LedgerConfig.defaults(),
                InferenceConfig.simulatedOnly());
    }

    public NodeConfig withPeers(PeerConfig p) {
        return new NodeConfig(dataDir, p, ledger, inference);
    }

    public NodeConfig withInference(InferenceConfig i) {
        return new NodeConfig(dataDir, peers, ledger, i);
    }

    public Path keyFile() {
        return dataDir.resolve("node.key");
    }

    public Path ledgerDir() {
        return dataDir.resolve("ledger");
    }
}
