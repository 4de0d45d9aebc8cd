package org.council.ledger.store.rocksdb;

import java.util.Arrays;

/** A byte array usable as a hash-map key (content equality). */
record ByteKey(byte[] bytes) {

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
