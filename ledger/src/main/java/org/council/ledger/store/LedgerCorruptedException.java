package org.council.ledger.store;

/** The stored ledger fails its integrity checks; the store refuses to run over it. */
public class LedgerCorruptedException extends LedgerException {

    public LedgerCorruptedException(String message) {
        super(message);
    }
}
