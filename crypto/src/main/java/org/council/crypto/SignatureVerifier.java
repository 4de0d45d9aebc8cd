package org.council.crypto;

import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies Ed25519 signatures made under a {@link SignatureDomain}, caching decoded public keys
 * so that many events from one author do not decode the same curve point again.
 *
 * <p>Public keys get RFC 8032's full check (on the curve, not of small order) once, when first
 * decoded. Thread-safe; the cache is bounded (cleared when it grows past its limit).
 */
public final class SignatureVerifier {

    private static final int DEFAULT_CACHE_LIMIT = 65_536;

    private final ConcurrentHashMap<NodeId, Ed25519.PublicPoint> points = new ConcurrentHashMap<>();
    private final int cacheLimit;

    public SignatureVerifier() {
        this(DEFAULT_CACHE_LIMIT);
    }

    public SignatureVerifier(int cacheLimit) {
        this.cacheLimit = cacheLimit;
    }

    /**
     * True when {@code signature} is a valid RFC 8032 signature by {@code signer} over
     * {@code domain prefix || message}. An invalid public key or a signature of the wrong length is
     * simply not valid.
     */
    public boolean verify(NodeId signer, SignatureDomain domain, byte[] message, byte[] signature) {
        return verifyRaw(signer, domain.signingInput(message), signature);
    }

    /** Verifies a signature over exactly {@code input} (already prefixed by the caller). */
    public boolean verifyRaw(NodeId signer, byte[] input, byte[] signature) {
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        Ed25519.PublicPoint point = point(signer);
        return point != null && Ed25519.verify(signature, 0, point, input, 0, input.length);
    }

    /** Whether the key decodes to a valid point of the prime-order subgroup (RFC 8032 full check). */
    public static boolean isValidPublicKey(NodeId key) {
        return Ed25519.validatePublicKeyFull(key.unsafeBytes(), 0);
    }

    private Ed25519.PublicPoint point(NodeId signer) {
        Ed25519.PublicPoint cached = points.get(signer);
        if (cached != null) {
            return cached;
        }
        Ed25519.PublicPoint decoded = Ed25519.validatePublicKeyFullExport(signer.unsafeBytes(), 0);
        if (decoded != null) {
            if (points.size() >= cacheLimit) {
                points.clear();
            }
            points.put(signer, decoded);
        }
        return decoded;
    }
}
