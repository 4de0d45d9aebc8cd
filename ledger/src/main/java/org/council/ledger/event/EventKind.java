package org.council.ledger.event;

/** The kinds of event body, with the names the API and docs use. */
public enum EventKind {
    CAPABILITIES_ANNOUNCED("capabilities_announced"),
    SERVICE_PROPOSED("service_proposed"),
    SERVICE_ACKNOWLEDGED("service_acknowledged"),
    RATING("rating"),
    EQUIVOCATION_OBSERVED("equivocation_observed"),
    /** A body kind this version does not know; stored and forwarded verbatim, ignored by projections. */
    UNKNOWN("unknown");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
