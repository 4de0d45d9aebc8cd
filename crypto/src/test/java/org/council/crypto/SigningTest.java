package org.council.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningTest {

    private final SignatureVerifier verifier = new SignatureVerifier();

    @Test
    void signatureCoversTheDomainPrefix() {
        NodeKeyPair keys = NodeKeyPair.generate();
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] sig = keys.sign(SignatureDomain.LEDGER_EVENT, message);

        assertThat(verifier.verify(keys.id(), SignatureDomain.LEDGER_EVENT, message, sig)).isTrue();
        assertThat(verifier.verify(keys.id(), new SignatureDomain("council/other/v1"), message, sig)).isFalse();
        assertThat(verifier.verifyRaw(keys.id(), message, sig)).as("no prefix").isFalse();
        assertThat(verifier.verifyRaw(keys.id(), SignatureDomain.LEDGER_EVENT.signingInput(message), sig)).isTrue();
    }

    @Test
    void signingInputIsTagThenZeroThenMessage() {
        byte[] input = new SignatureDomain("ab").signingInput(new byte[] {7});
        assertThat(input).containsExactly('a', 'b', 0, 7);
    }

    @Test
    void anotherKeyDoesNotVerify() {
        NodeKeyPair a = NodeKeyPair.generate();
        NodeKeyPair b = NodeKeyPair.generate();
        byte[] sig = a.sign(SignatureDomain.LEDGER_EVENT, new byte[] {1, 2, 3});
        assertThat(verifier.verify(b.id(), SignatureDomain.LEDGER_EVENT, new byte[] {1, 2, 3}, sig)).isFalse();
    }

    @Test
    void invalidPublicKeysAndSignatureLengthsAreNotValid() {
        NodeKeyPair a = NodeKeyPair.generate();
        byte[] sig = a.sign(SignatureDomain.LEDGER_EVENT, new byte[0]);
        // y = 2 is not on the curve (no x exists for it)
        byte[] offCurve = new byte[32];
        offCurve[0] = 2;
        assertThat(verifier.verify(NodeId.of(offCurve), SignatureDomain.LEDGER_EVENT, new byte[0], sig)).isFalse();
        // the identity point (small order) is refused by the full check
        byte[] identity = new byte[32];
        identity[0] = 1;
        assertThat(SignatureVerifier.isValidPublicKey(NodeId.of(identity))).isFalse();
        assertThat(SignatureVerifier.isValidPublicKey(a.id())).isTrue();
        assertThat(verifier.verify(a.id(), SignatureDomain.LEDGER_EVENT, new byte[0], new byte[63])).isFalse();
    }

    @Test
    void privateKeyNeverAppearsInToString() {
        byte[] seed = Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        NodeKeyPair keys = NodeKeyPair.fromPrivateKey(seed);
        assertThat(keys.toString()).doesNotContain("9d61b19d").contains(keys.id().hex()).contains("redacted");
    }

    @Test
    void nodeIdRoundTripsThroughHexAndChecksLength() {
        NodeKeyPair keys = NodeKeyPair.generate();
        assertThat(NodeId.fromHex(keys.id().hex())).isEqualTo(keys.id());
        assertThat(keys.id().hex()).matches("[0-9a-f]{64}");
        assertThatThrownBy(() -> NodeId.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.fromHex("zz".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sha256KnownAnswer() {
        assertThat(Hex.encode(Sha256.hash("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
