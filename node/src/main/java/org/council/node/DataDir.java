package org.council.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The layout of a node's data directory, the one place that names its files: the node, every CLI
 * command and the operator's docs must agree on them, and an older node's directory must still
 * open after an upgrade. Immutable; it only computes paths and touches no file.
 *
 * <pre>
 *   node.key            the node's private key (owner-only; created on init or first start)
 *   api.token           bearer token of the API's acting endpoints (owner-only)
 *   council.properties  the operator's settings (written, commented, by {@code council init})
 *   ledger/             the RocksDB ledger
 *   anchors             a few outbound peers kept across a restart (written at stop, deleted once read)
 * </pre>
 *
 * @param root the data directory itself
 */
public record DataDir(Path root) {

    /** Where the CLI keeps a node when no {@code --data-dir} is given: {@code ~/.council}. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".council");
    }

    public DataDir {
        Objects.requireNonNull(root, "root");
    }

    /** The given directory (a {@code --data-dir} option), or {@link #defaultRoot()} when it is null. */
    public static DataDir orDefault(Path option) {
        return new DataDir(option != null ? option : defaultRoot());
    }

    public Path keyFile() {
        return root.resolve("node.key");
    }

    /** The bearer token of the API's acting endpoints (created with the key, owner-only). */
    public Path tokenFile() {
        return root.resolve("api.token");
    }

    /** The operator's settings file; absent means every setting has its default. */
    public Path settingsFile() {
        return root.resolve("council.properties");
    }

    public Path anchorsFile() {
        return root.resolve("anchors");
    }

    public Path ledgerDir() {
        return root.resolve("ledger");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
