package org.council.ledger.event;

import java.util.Arrays;
import org.council.crypto.Hex;
import org.council.crypto.Sha256;

/**
 * An event's id: the SHA-256 of its signed envelope bytes ({@code docs/ledger-format.md}).
 * Immutable and thread-safe.
 */
public final class EventId implements Comparable<EventId> {

    public static final int LENGTH = Sha256.LENGTH;

    private final byte[] hash;
    private int hashCode; // computed on first use: most ids are decoded to be rendered, never hashed

    private EventId(byte[] hash) {
        this.hash = hash;
    }

    /** @throws IllegalArgumentException unless {@code hash} is 32 bytes */
    public static EventId of(byte[] hash) {
        if (hash == null || hash.length != LENGTH) {
            throw new IllegalArgumentException("an event id is 32 bytes, got "
                    + (hash == null ? "null" : hash.length + " bytes"));
        }
        return new EventId(hash.clone());
    }

    /** The id of the given signed envelope bytes. */
    public static EventId ofEnvelope(byte[] envelope) {
        return new EventId(Sha256.hash(envelope));
    }

    public static EventId fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an event id is 64 hex characters");
        }
        return new EventId(Hex.decode(hex));
    }

    public byte[] bytes() {
        return hash.clone();
    }

    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(hash, 0, dest, offset, LENGTH);
    }

    public String hex() {
        return Hex.encode(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventId other && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        int h = hashCode;
        if (h == 0) { // a benign race, as in String: every thread computes the same value
            h = Arrays.hashCode(hash);
            hashCode = h;
        }
        return h;
    }

    @Override
    public int compareTo(EventId o) {
        return Arrays.compareUnsigned(hash, o.hash);
    }

    @Override
    public String toString() {
        return hex();
    }
}
