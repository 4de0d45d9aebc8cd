package org.council.ledger.store;

/** An own append was refused by validation (for example, the body makes the event too large). */
public class LedgerRejectedException extends LedgerException {

    private final Rejection reason;

    public LedgerRejectedException(Rejection reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Rejection reason() {
        return reason;
    }
}
