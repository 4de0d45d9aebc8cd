package org.council.crypto;

import java.util.Arrays;

/**
 * A node's identity: its 32-byte Ed25519 public key. Written as 64 lowercase hex characters.
 *
 * <p>Immutable and thread-safe. Construction checks the length only; whether the bytes are a
 * valid curve point is checked when a signature is verified against it.
 */
public final class NodeId implements Comparable<NodeId> {

    /** Length of an Ed25519 public key in bytes. */
    public static final int LENGTH = 32;

    private final byte[] key;
    private int hash; // computed on first use: most ids are decoded to be rendered, never hashed

    private NodeId(byte[] key) {
        this.key = key;
    }

    /** @throws IllegalArgumentException unless {@code publicKey} is exactly 32 bytes */
    public static NodeId of(byte[] publicKey) {
        if (publicKey == null || publicKey.length != LENGTH) {
            throw new IllegalArgumentException("a node id is a 32-byte Ed25519 public key, got "
                    + (publicKey == null ? "null" : publicKey.length + " bytes"));
        }
        return new NodeId(publicKey.clone());
    }

    /** @throws IllegalArgumentException unless {@code hex} is 64 hex characters */
    public static NodeId fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a node id is 64 hex characters");
        }
        return new NodeId(Hex.decode(hex));
    }

    /** A copy of the public key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    /** Copies the key into {@code dest} at {@code offset}, without an intermediate array. */
    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(key, 0, dest, offset, LENGTH);
    }

    byte[] unsafeBytes() {
        return key;
    }

    public String hex() {
        return Hex.encode(key);
    }

    /** The first 8 hex characters, for log lines meant for people. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) { // a benign race, as in String: every thread computes the same value
            h = Arrays.hashCode(key);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(key, o.key);
    }

    @Override
    public String toString() {
        return hex();
    }
}
