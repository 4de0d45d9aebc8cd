package org.council.node;

import java.nio.file.Path;
import java.util.Objects;
import org.council.ledger.store.LedgerConfig;
import org.council.node.peer.PeerConfig;

/**
 * Everything a node needs to start: where its data lives, how it meets peers, which backends it
 * fronts and where its HTTP faces listen. Immutable.
 *
 * @param dataDir   the node's directory, laid out as {@link DataDir} says (key and token are created
 *                  on first start, owner-only)
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

    /** The layout of {@link #dataDir()}: where the key, the token and the ledger are. */
    public DataDir files() {
        return new DataDir(dataDir);
    }

    public Path keyFile() {
        return files().keyFile();
    }

    /** The bearer token of the API's acting endpoints (created with the key, owner-only). */
    public Path tokenFile() {
        return files().tokenFile();
    }

    public Path ledgerDir() {
        return files().ledgerDir();
    }
}
