package org.council.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.council.ledger.store.LedgerCorruptedException;
import org.council.ledger.store.LedgerInUseException;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.node.DataDir;

/**
 * Opens a stopped node's ledger from its data directory, read-only and without its key, for
 * offline audit and export.
 */
final class OfflineLedger {

    private OfflineLedger() {
    }

    /**
     * The store in {@code dataDir/ledger}; close it when done.
     *
     * @throws LedgerCorruptedException when the store's own recovery check refuses it
     * @throws CliException             when there is no ledger, or a running node holds it
     */
    static LedgerStore open(Path dataDir) {
        DataDir files = new DataDir(dataDir);
        Path key = files.keyFile();
        Path ledger = files.ledgerDir();
        if (!Files.exists(key) || !Files.isDirectory(ledger)) {
            throw new CliException(ExitCode.CONFIG, "no node ledger in " + dataDir + " (expected node.key and ledger/); "
                    + "pass --data-dir of a node, or --api URL of a running one");
        }
        try {
            // Read-only and without the private key: an audit or export never needs to sign or write.
            return RocksLedgerStore.openReadOnly(ledger);
        } catch (LedgerInUseException e) {
            throw new CliException(ExitCode.FAILED, "the ledger in " + dataDir + " is in use by a running node; "
                    + "read it through the node's API instead: --api " + suggestedUrl(dataDir));
        }
    }

    private static String suggestedUrl(Path dataDir) {
        try {
            return ApiOptions.baseUrl(dataDir, System.getenv());
        } catch (CliException unknown) {
            return "URL (`council run` printed it)";
        }
    }
}
