package org.council.ledger.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.junit.jupiter.api.Test;

class TestVectorsTest {

    static Path repoFile() {
        return Path.of("..").resolve(TestVectors.FILE);
    }

    @Test
    void checkedInVectorsEqualWhatTheCodeGenerates() throws Exception {
        assertThat(Files.readString(repoFile(), StandardCharsets.UTF_8))
                .as("docs/test-vectors/events.json is stale: regenerate it with TestVectors.main")
                .isEqualTo(TestVectors.json());
    }

    @Test
    void everyVectorVerifiesAndDecodes() {
        SignatureVerifier verifier = new SignatureVerifier();
        for (TestVectors.Vector v : TestVectors.vectors()) {
            var e = v.event();
            assertThat(verifier.verifyRaw(e.author(), EventCodec.DOMAIN.signingInput(e.payload()), e.signature()))
                    .as(v.description()).isTrue();
            assertThat(EventCodec.decode(e.envelope())).isInstanceOf(DecodeResult.Decoded.class);
        }
    }
}
