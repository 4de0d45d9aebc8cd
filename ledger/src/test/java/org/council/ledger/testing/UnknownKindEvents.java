package org.council.ledger.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.wire.EventPayload;

/** Signed events of a kind this version does not know (body field 99), of a chosen size. */
public final class UnknownKindEvents {

    /** The body field a future version might use. */
    public static final int FIELD = 99;

    private UnknownKindEvents() {
    }

    /** An event whose unknown body holds {@code bodyBytes} bytes (one bytes field inside it). */
    public static SignedEvent sign(NodeKeyPair keys, long seq, EventId prev, long timestampMs, int bodyBytes) {
        byte[] inner = UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(new byte[bodyBytes])).build())
                .build().toByteArray();
        EventPayload.Builder b = EventPayload.newBuilder()
                .setAuthor(ByteString.copyFrom(keys.id().bytes()))
                .setSeq(seq)
                .setTimestampMs(timestampMs);
        if (prev != null) {
            b.setPrev(ByteString.copyFrom(prev.bytes()));
        }
        b.setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(FIELD, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(inner)).build())
                .build());
        byte[] payload = b.build().toByteArray();
        byte[] envelope = EventCodec.encodeEnvelope(payload, keys.sign(EventCodec.DOMAIN, payload));
        DecodeResult r = EventCodec.decode(envelope);
        if (!(r instanceof DecodeResult.Decoded d)) {
            throw new IllegalStateException("not a decodable event: " + r);
        }
        return d.event();
    }
}
