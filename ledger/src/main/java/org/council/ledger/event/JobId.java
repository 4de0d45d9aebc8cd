package org.council.ledger.event;

import java.security.SecureRandom;
import java.util.Arrays;
import org.council.crypto.Hex;

/** A 16-byte job (or council) identifier chosen by the requester. Immutable and thread-safe. */
public final class JobId {

    public static final int LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private JobId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static JobId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a job id is 16 bytes, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return new JobId(bytes.clone());
    }

    public static JobId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new JobId(b);
    }

    public static JobId fromHex(String hex) {
        return of(Hex.decode(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
