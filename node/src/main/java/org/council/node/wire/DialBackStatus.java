package org.council.node.wire;

/** wire.proto's {@code DialBackResult.Status}, mapped by number; an unknown number reads as REFUSED. */
public enum DialBackStatus {
    REFUSED(0), REACHABLE(1), UNREACHABLE(2);

    private final int number;

    DialBackStatus(int number) {
        this.number = number;
    }

    /** The number on the wire (never the ordinal: reordering this enum must not change the protocol). */
    public int number() {
        return number;
    }

    public static DialBackStatus fromNumber(int n) {
        for (DialBackStatus s : values()) {
            if (s.number == n) {
                return s;
            }
        }
        return REFUSED;
    }
}
