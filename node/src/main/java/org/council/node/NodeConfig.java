package org.council.node;

import java.nio.file.Path;
import java.util.Objects;
import org.council.ledger.store.LedgerConfig;
import org.council.node.peer.PeerConfig;

/**
 * Everything a node needs to start: where its data lives, how it meets peers, which backends it
 * fronts and where its HTTP faces listen. Immutable.
 *
 * @param dataDir   directory holding {@code node.key} and {@code api.token} (created on first
 *                  start, owner-only) and {@code ledger/} (RocksDB)
 * @param inference model backends, scheduler and operator-trusted peers
 * @param api       JSON API and Ollama-compatible endpoint addresses (loopback unless configured)
 */
public record NodeConfig(Path dataDir, PeerConfig peers, LedgerConfig ledger, InferenceConfig inference,
                         ApiConfig api) {

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(inference, "inference");
        Objects.requireNonNull(api, "api");
    }

    /** Loopback, free ports, a simulated backend: a node that works with nothing else installed. */
    public static NodeConfig local(Path dataDir) {
        return new NodeConfig(dataDir, PeerConfig.localDefaults(), LedgerConfig.defaults(),
                InferenceConfig.simulatedOnly(), ApiConfig.local());
    }

    public NodeConfig withPeers(PeerConfig p) {
        return new NodeConfig(dataDir, p, ledger, inference, api);
    }

    public NodeConfig withInference(InferenceConfig i) {
        return new NodeConfig(dataDir, peers, ledger, i, api);
    }

    public NodeConfig withApi(ApiConfig a) {
        return new NodeConfig(dataDir, peers, ledger, inference, a);
    }

    public Path keyFile() {
        return dataDir.resolve("node.key");
    }

    /** The bearer token of the API's acting endpoints (created with the key, owner-only). */
    public Path tokenFile() {
        return dataDir.resolve("api.token");
    }

    public Path ledgerDir() {
        return dataDir.resolve("ledger");
    }
}
