package org.council.ledger.projection;

import java.util.Arrays;

/** A byte array usable as a hash-map key (content equality). Callers must not modify the array. */
public record ByteKey(byte[] bytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return org.council.crypto.Hex.encode(bytes);
    }
}
