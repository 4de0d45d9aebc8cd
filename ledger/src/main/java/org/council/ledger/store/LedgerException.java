package org.council.ledger.store;

/**
 * The one unchecked exception of the ledger module. Wraps storage failures (RocksDB, I/O); never
 * used for expected outcomes such as a rejected event ({@link IngestOutcome}).
 */
public class LedgerException extends RuntimeException {

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
