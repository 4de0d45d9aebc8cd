package org.council.node.wire;

/**
 * wire.proto's {@code CircuitStatus.Status} (relays, docs/protocol.md), mapped by number; an unknown
 * number reads as {@link #CLOSED}, so a newer peer's status still ends the circuit.
 */
public enum CircuitState {
    CLOSED(0), OPENED(1), NO_RESERVATION(2), REFUSED(3), LIMIT(4);

    private final int number;

    CircuitState(int number) {
        this.number = number;
    }

    /** The number on the wire (never the ordinal). */
    public int number() {
        return number;
    }

    public static CircuitState fromNumber(int n) {
        for (CircuitState s : values()) {
            if (s.number == n) {
                return s;
            }
        }
        return CLOSED;
    }
}
