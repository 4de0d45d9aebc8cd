package org.council.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class NodeCertificateTest {

    @Test
    void certificateCarriesTheNodeKeyAndIsSelfSigned() throws Exception {
        NodeKeyPair keys = NodeKeyPair.generate();
        NodeCertificate cert = NodeCertificate.create(keys);

        assertThat(NodeCertificate.nodeIdOf(cert.certificate())).isEqualTo(keys.id());
        cert.certificate().verify(cert.certificate().getPublicKey());
        NodeTls.trustManager().checkClientTrusted(new X509Certificate[] {cert.certificate()}, "EdDSA");
        assertThat(cert.toString()).contains("redacted").contains(keys.id().hex());
        assertThat(NodeTls.keyManager(cert).chooseServerAlias("EdDSA", null, null)).isNotNull();
        assertThat(NodeTls.keyManager(cert).chooseServerAlias("RSA", null, null)).isNull();
    }

    @Test
    void trustManagerRefusesChainsAndCertificatesNotSignedByTheirOwnKey() {
        NodeCertificate a = NodeCertificate.create(NodeKeyPair.generate());
        NodeCertificate b = NodeCertificate.create(NodeKeyPair.generate());
        assertThatThrownBy(() -> NodeTls.trustManager().checkServerTrusted(
                new X509Certificate[] {a.certificate(), b.certificate()}, "EdDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> NodeTls.trustManager().checkServerTrusted(new X509Certificate[0], "EdDSA"))
                .isInstanceOf(CertificateException.class);
    }
}
