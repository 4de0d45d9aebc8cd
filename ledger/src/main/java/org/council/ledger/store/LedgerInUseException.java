package org.council.ledger.store;

/**
 * The ledger directory is held by another store: a running node (another process, or another
 * store in this one). Raised where the storage reports its lock, so callers decide by type, not
 * by message text.
 */
public class LedgerInUseException extends LedgerException {

    public LedgerInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
