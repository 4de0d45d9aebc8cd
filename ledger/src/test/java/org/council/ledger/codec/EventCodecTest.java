package org.council.ledger.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.JobId;
import org.council.ledger.event.Limits;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final FeedBuilder feed = FeedBuilder.random();
    private final NodeKeyPair other = NodeKeyPair.generate();

    @Test
    void everyKindRoundTripsThroughTheEnvelope() {
        SignedEvent first = feed.next(FeedBuilder.capabilities("llama3.1:8b"));
        SignedEvent proposal = feed.next(FeedBuilder.proposal(other.id(), 1500));
        FeedBuilder otherFeed = new FeedBuilder(other);
        otherFeed.next(FeedBuilder.capabilities("x"));
        SignedEvent ack = otherFeed.next(FeedBuilder.ack(proposal));
        SignedEvent rating = feed.next(new EventBody.Rating(JobId.random(),
                List.of(new EventBody.RatedMember(other.id(), 1500, 3))));
        SignedEvent forkA = otherFeed.sign(3, ack.id(), 5, FeedBuilder.capabilities("a"));
        SignedEvent forkB = otherFeed.sign(3, ack.id(), 5, FeedBuilder.capabilities("b"));
        SignedEvent proof = feed.next(new EventBody.EquivocationObserved(other.id(), 3, forkA, forkB));

        for (SignedEvent e : List.of(first, proposal, ack, rating, proof)) {
            DecodeResult r = EventCodec.decode(e.envelope());
            assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
            SignedEvent back = ((DecodeResult.Decoded) r).event();
            assertThat(back.id()).isEqualTo(e.id());
            assertThat(back.author()).isEqualTo(e.author());
            assertThat(back.seq()).isEqualTo(e.seq());
            assertThat(back.prev()).isEqualTo(e.prev());
            assertThat(back.kind()).isEqualTo(e.kind());
            assertThat(EventCodec.encodePayload(back.author(), back.seq(), back.prev(), back.timestampMs(), back.body()))
                    .as("re-encoding %s gives the signed bytes", e.kind()).isEqualTo(e.payload());
        }
        assertThat(((EventBody.ServiceAcknowledged) ack.body()).proposalId()).isEqualTo(proposal.id());
    }

    @Test
    void envelopeHasExactlyOneEncoding() {
        SignedEvent e = feed.next(FeedBuilder.capabilities("m"));
        byte[] env = e.envelope();
        // the same fields in the other order are valid protobuf but not the canonical envelope
        byte[] swapped = new byte[env.length];
        int sigStart = env.length - 66;
        System.arraycopy(env, sigStart, swapped, 0, 66);
        System.arraycopy(env, 0, swapped, 66, sigStart);
        assertThat(EventCodec.decode(swapped)).isInstanceOf(DecodeResult.Undecodable.class);
        // trailing bytes
        byte[] longer = Arrays.copyOf(env, env.length + 1);
        assertThat(EventCodec.decode(longer)).isInstanceOf(DecodeResult.Undecodable.class);
        assertThat(EventCodec.decode(new byte[0])).isInstanceOf(DecodeResult.Undecodable.class);
    }

    @Test
    void oversizeIsReportedBeforeParsing() {
        byte[] huge = new byte[Limits.MAX_EVENT_BYTES + 1];
        huge[0] = 0x0a;
        DecodeResult r = EventCodec.decode(huge);
        assertThat(r).isEqualTo(new DecodeResult.Undecodable(true, "event is " + huge.length
                + " bytes, the limit is " + Limits.MAX_EVENT_BYTES));
    }

    @Test
    void anUnknownBodyKindIsKeptAsUnknown() {
        // payload: author(1) seq(2) timestamp(4) and field 99 (a kind from a future version)
        SignedEvent known = feed.next(FeedBuilder.capabilities("m"));
        byte[] payload = known.payload();
        // rebuild a payload by hand: 0a 20 <author> 10 01 20 01 9a 06 00  (field 99, empty message)
        byte[] p = new byte[2 + 32 + 2 + 2 + 3];
        p[0] = 0x0a;
        p[1] = 0x20;
        System.arraycopy(payload, 2, p, 2, 32);
        p[34] = 0x10;
        p[35] = 0x01;
        p[36] = 0x20;
        p[37] = 0x01;
        p[38] = (byte) 0x9a;
        p[39] = 0x06;
        p[40] = 0x00;
        byte[] env = EventCodec.encodeEnvelope(p, feed.keys().sign(EventCodec.DOMAIN, p));
        DecodeResult r = EventCodec.decode(env);
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        assertThat(((DecodeResult.Decoded) r).event().body()).isEqualTo(new EventBody.Unknown(99));
        assertThat(((DecodeResult.Decoded) r).event().kind()).isEqualTo(EventKind.UNKNOWN);
    }

    @Test
    void selfReceiptsAreMalformed() {
        SignedEvent self = feed.sign(1, null, 1, FeedBuilder.proposal(feed.id(), 1000));
        DecodeResult r = EventCodec.decode(self.envelope());
        assertThat(r).isInstanceOf(DecodeResult.Undecodable.class);
        assertThat(((DecodeResult.Undecodable) r).detail()).contains("serving itself");
    }

    @Test
    void aNonCanonicalPayloadIsMalformedEvenWhenValidlySigned() {
        SignedEvent e = feed.next(FeedBuilder.capabilities("m"));
        byte[] p = e.payload();
        // seq written as a two-byte varint (0x81 0x00) instead of 0x01: same number, other bytes
        int seqAt = 2 + 32;
        assertThat(p[seqAt]).isEqualTo((byte) 0x10);
        byte[] longer = new byte[p.length + 1];
        System.arraycopy(p, 0, longer, 0, seqAt + 1);
        longer[seqAt + 1] = (byte) 0x81;
        longer[seqAt + 2] = 0x00;
        System.arraycopy(p, seqAt + 2, longer, seqAt + 3, p.length - seqAt - 2);
        byte[] env = EventCodec.encodeEnvelope(longer, feed.keys().sign(EventCodec.DOMAIN, longer));
        DecodeResult r = EventCodec.decode(env);
        assertThat(r).isInstanceOf(DecodeResult.Undecodable.class);
        assertThat(((DecodeResult.Undecodable) r).detail()).contains("canonical");
    }

    @Test
    void twoBodiesAreMalformed() {
        SignedEvent e = feed.next(FeedBuilder.capabilities("m"));
        // append an unknown-kind body (field 99, empty) after the known one
        byte[] p = Arrays.copyOf(e.payload(), e.payload().length + 3);
        p[p.length - 3] = (byte) 0x9a;
        p[p.length - 2] = 0x06;
        p[p.length - 1] = 0x00;
        DecodeResult r = EventCodec.decode(EventCodec.encodeEnvelope(p, feed.keys().sign(EventCodec.DOMAIN, p)));
        assertThat(r).isInstanceOf(DecodeResult.Undecodable.class);
        assertThat(((DecodeResult.Undecodable) r).detail()).contains("exactly one body");
    }
}
