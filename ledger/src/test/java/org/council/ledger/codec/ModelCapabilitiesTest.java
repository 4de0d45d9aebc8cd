package org.council.ledger.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import java.util.Collections;
import java.util.List;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.council.ledger.wire.ModelOffer;
import org.junit.jupiter.api.Test;

/** Per-model capabilities in a capabilities announcement: round trip, bounds, and old readers. */
class ModelCapabilitiesTest {

    private final FeedBuilder feed = FeedBuilder.random();

    @Test
    void capabilitiesRoundTripAndAnOfferWithoutThemStaysAsItWas() {
        EventBody.ModelOffer with = new EventBody.ModelOffer("m", 3_000, "Q4_0", 0, List.of("completion", "tools"));
        EventBody.ModelOffer without = new EventBody.ModelOffer("n", 3_000, "Q4_0", 0);
        SignedEvent e = feed.next(new EventBody.CapabilitiesAnnounced(List.of(with, without), "", 1, ""));

        DecodeResult r = EventCodec.decode(e.envelope());

        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        EventBody.CapabilitiesAnnounced back = (EventBody.CapabilitiesAnnounced) ((DecodeResult.Decoded) r).event().body();
        assertThat(back.models()).containsExactly(with, without);
        assertThat(back.models().get(1).capabilities()).isEmpty();
    }

    @Test
    void aReaderThatPredatesTheFieldReEncodesItInPlace() throws Exception {
        // field 5 is the offer's highest: a reader that does not know it keeps it as an unknown
        // field and writes it after fields 1-4, where it was, so the canonical check still holds
        byte[] offer = ModelOffer.newBuilder().setName("m").setParametersMillions(3_000).setQuantization("Q4_0")
                .setContextLength(8192).addCapabilities("completion").addCapabilities("vision").build().toByteArray();
        assertThat(UnknownFieldSet.parseFrom(offer).toByteArray()).isEqualTo(offer);
    }

    @Test
    void tooManyOrTooLongCapabilitiesAreRefused() {
        assertThatThrownBy(() -> new EventBody.ModelOffer("m", 1, "", 0,
                Collections.nCopies(EventBody.ModelOffer.MAX_CAPABILITIES + 1, "tools")))
                .hasMessageContaining("too many capabilities");
        assertThatThrownBy(() -> new EventBody.ModelOffer("m", 1, "", 0, List.of("x".repeat(257))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
