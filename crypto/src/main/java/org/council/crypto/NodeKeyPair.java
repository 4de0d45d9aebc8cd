package org.council.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A node's Ed25519 key pair (BouncyCastle's RFC 8032 implementation).
 *
 * <p>Thread-safe: signing reads immutable key material only. The private key never appears in
 * {@link #toString()} and there is no accessor for it outside this package; it leaves memory only
 * through {@link KeyFiles}.
 */
public final class NodeKeyPair {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] privateKey;
    private final byte[] publicKey;
    private final NodeId id;

    private NodeKeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        this.id = NodeId.of(publicKey);
    }

    /** A fresh key pair from a strong random source. */
    public static NodeKeyPair generate() {
        return generate(RANDOM);
    }

    public static NodeKeyPair generate(SecureRandom random) {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        Ed25519.generatePrivateKey(random, sk);
        return new NodeKeyPair(sk);
    }

    /**
     * The key pair for a 32-byte RFC 8032 private key (seed). Deterministic: used for test vectors
     * and for loading key files.
     */
    public static NodeKeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != Ed25519.SECRET_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key is 32 bytes");
        }
        return new NodeKeyPair(privateKey.clone());
    }

    public NodeId id() {
        return id;
    }

    /** Signs {@code domain prefix || message}; returns the 64-byte signature. */
    public byte[] sign(SignatureDomain domain, byte[] message) {
        return signRaw(domain.signingInput(message));
    }

    /** Signs exactly {@code input} with no prefix; for known-answer tests and callers that built the input. */
    public byte[] signRaw(byte[] input) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        // The overload taking the public key avoids recomputing it (a scalar multiplication) per signature.
        Ed25519.sign(privateKey, 0, publicKey, 0, input, 0, input.length, signature, 0);
        return signature;
    }

    byte[] privateKeyForKeyFile() {
        return privateKey.clone();
    }

    /** Overwrites the private key in memory; the pair cannot sign afterwards. */
    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "NodeKeyPair[id=" + id.hex() + ", private key redacted]";
    }
}
