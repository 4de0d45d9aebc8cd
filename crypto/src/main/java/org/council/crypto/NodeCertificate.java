package org.council.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * A self-signed X.509 certificate for the node's own Ed25519 key, for TLS 1.3. The certificate
 * carries no trust of its own: TLS proves that the peer holds the private key of the public key
 * in its certificate, and that public key <em>is</em> the peer's node id ({@link #nodeIdOf}).
 *
 * <p>Immutable and thread-safe. The JCA private key it holds never appears in {@link #toString()}.
 */
public final class NodeCertificate {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** DER prefix of an Ed25519 PKCS#8 PrivateKeyInfo (RFC 8410); the 32-byte seed follows. */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
            0x70, 0x04, 0x22, 0x04, 0x20};
    private static final long VALIDITY_MS = 10L * 365 * 24 * 3600 * 1000;

    private final NodeId id;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private NodeCertificate(NodeId id, X509Certificate certificate, PrivateKey privateKey) {
        this.id = id;
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** Builds the certificate for {@code keys}, signed with BouncyCastle's Ed25519. */
    public static NodeCertificate create(NodeKeyPair keys) {
        try {
            byte[] spki = concat(SPKI_PREFIX, keys.id().bytes());
            long now = System.currentTimeMillis();
            X500Name name = new X500Name("CN=council node " + keys.id().shortHex());
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(64, new java.security.SecureRandom()).add(BigInteger.ONE),
                    new Date(now - 3_600_000L), new Date(now + VALIDITY_MS), name,
                    SubjectPublicKeyInfo.getInstance(spki));
            byte[] der = builder.build(new Ed25519ContentSigner(keys)).getEncoded();
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            byte[] seed = keys.privateKeyForKeyFile();
            try {
                PrivateKey jca = KeyFactory.getInstance("Ed25519")
                        .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
                return new NodeCertificate(keys.id(), cert, jca);
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CryptoException("cannot build the node's TLS certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The node id a certificate proves, when it is a single Ed25519 key certificate; else null.
     */
    public static NodeId nodeIdOf(java.security.cert.Certificate certificate) {
        if (!(certificate instanceof X509Certificate x)) {
            return null;
        }
        byte[] spki = x.getPublicKey().getEncoded();
        if (spki == null || spki.length != SPKI_PREFIX.length + NodeId.LENGTH
                || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return null;
        }
        return NodeId.of(Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length));
    }

    public NodeId id() {
        return id;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "NodeCertificate[" + id.hex() + ", private key redacted]";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Signs the certificate with BouncyCastle's Ed25519 (the JDK's is far slower). */
    private static final class Ed25519ContentSigner implements ContentSigner {
        private final NodeKeyPair keys;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Ed25519ContentSigner(NodeKeyPair keys) {
            this.keys = keys;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            return keys.signRaw(buffer.toByteArray());
        }
    }
}
