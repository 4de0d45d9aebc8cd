package org.council.crypto;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS key and trust managers of a Council node: it presents its own {@link NodeCertificate}
 * and accepts any peer that presents exactly one self-signed Ed25519 certificate. Trust is not
 * decided here: TLS 1.3 proves the peer holds the key in its certificate, and the peer layer then
 * checks that key (the peer's node id) against the one it dialled, its ban list and its network.
 *
 * <p>Thread-safe.
 */
public final class NodeTls {

    private static final String ALIAS = "council-node";

    private NodeTls() {
    }

    /** Presents {@code cert} for the Ed25519 key type, on both client and server side. */
    public static X509ExtendedKeyManager keyManager(NodeCertificate cert) {
        return new X509ExtendedKeyManager() {
            private String alias(String keyType) {
                return keyType != null && (keyType.equalsIgnoreCase("EdDSA") || keyType.equalsIgnoreCase("Ed25519"))
                        ? ALIAS : null;
            }

            private String alias(String[] keyTypes) {
                if (keyTypes != null) {
                    for (String t : keyTypes) {
                        if (alias(t) != null) {
                            return ALIAS;
                        }
                    }
                }
                return null;
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return alias(keyType) == null ? null : new String[] {ALIAS};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return alias(keyType);
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return alias(keyType);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return alias(keyType) == null ? null : new String[] {ALIAS};
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return alias(keyType);
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return alias(keyType);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return ALIAS.equals(alias) ? new X509Certificate[] {cert.certificate()} : null;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return ALIAS.equals(alias) ? cert.privateKey() : null;
            }
        };
    }

    /** Accepts a peer that presents one self-signed Ed25519 certificate whose signature verifies. */
    public static X509ExtendedTrustManager trustManager() {
        return new X509ExtendedTrustManager() {
            private void check(X509Certificate[] chain) throws CertificateException {
                if (chain == null || chain.length != 1) {
                    throw new CertificateException("a Council peer presents exactly one certificate");
                }
                if (NodeCertificate.nodeIdOf(chain[0]) == null) {
                    throw new CertificateException("a Council peer's certificate holds an Ed25519 key");
                }
                try {
                    chain[0].verify(chain[0].getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("the peer's certificate is not signed by its own key", e);
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                check(chain);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                check(chain);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                check(chain);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
