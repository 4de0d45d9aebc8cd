package org.council.ledger.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureDomain;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.Limits;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.wire.EventPayload;

/**
 * The edge between the ledger's bytes and its domain records ({@code docs/ledger-format.md}).
 * Protobuf types never leave this class and the generated {@code wire} package.
 *
 * <p>The envelope has exactly one accepted encoding: {@code 0x0a varint(len) payload 0x12 0x40
 * signature}; anything else is malformed, so an event's id (SHA-256 of the envelope) is unique
 * for a given payload and signature. Stateless and thread-safe.
 */
public final class EventCodec {

    /** The domain every event signature is made under. */
    public static final SignatureDomain DOMAIN = SignatureDomain.LEDGER_EVENT;
    static final int SIGNATURE_LENGTH = 64;

    private EventCodec() {
    }

    /** Builds, signs and encodes an event of {@code keys}' feed. */
    public static SignedEvent sign(NodeKeyPair keys, long seq, EventId prev, long timestampMs, EventBody body) {
        byte[] payload = encodePayload(keys.id(), seq, prev, timestampMs, body);
        byte[] signature = keys.sign(DOMAIN, payload);
        byte[] envelope = encodeEnvelope(payload, signature);
        return new SignedEvent(envelope, payload, signature, EventId.ofEnvelope(envelope),
                keys.id(), seq, prev, timestampMs, body);
    }

    /** The payload bytes for the given fields (what the author signs). */
    public static byte[] encodePayload(NodeId author, long seq, EventId prev, long timestampMs, EventBody body) {
        EventPayload.Builder b = EventPayload.newBuilder()
                .setAuthor(ByteString.copyFrom(author.bytes()))
                .setSeq(seq)
                .setTimestampMs(timestampMs);
        if (prev != null) {
            b.setPrev(ByteString.copyFrom(prev.bytes()));
        }
        BodyMapper.setBody(b, body);
        return b.build().toByteArray();
    }

    /** The canonical envelope for a payload and its signature. */
    public static byte[] encodeEnvelope(byte[] payload, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
        }
        int lenBytes = varintSize(payload.length);
        byte[] out = new byte[1 + lenBytes + payload.length + 2 + SIGNATURE_LENGTH];
        int pos = 0;
        out[pos++] = 0x0a;
        int v = payload.length;
        while ((v & ~0x7f) != 0) {
            out[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        System.arraycopy(payload, 0, out, pos, payload.length);
        pos += payload.length;
        out[pos++] = 0x12;
        out[pos++] = SIGNATURE_LENGTH;
        System.arraycopy(signature, 0, out, pos, SIGNATURE_LENGTH);
        return out;
    }

    /** Decodes and structurally checks envelope bytes. Never throws on bad input. */
    public static DecodeResult decode(byte[] envelope) {
        return decode(envelope, true);
    }

    /**
     * Decodes envelope bytes that this store itself validated earlier (replay, reads): skips the
     * size check but still parses strictly.
     */
    public static SignedEvent decodeTrusted(byte[] envelope) {
        DecodeResult r = decode(envelope, false);
        if (r instanceof DecodeResult.Decoded d) {
            return d.event();
        }
        throw new IllegalStateException("stored event does not decode: " + ((DecodeResult.Undecodable) r).detail());
    }

    private static DecodeResult decode(byte[] envelope, boolean checkSize) {
        if (envelope == null) {
            return malformed("no bytes");
        }
        if (checkSize && envelope.length > Limits.MAX_EVENT_BYTES) {
            return new DecodeResult.Undecodable(true, "event is " + envelope.length + " bytes, the limit is "
                    + Limits.MAX_EVENT_BYTES);
        }
        // Strict envelope parse: 0x0a varint(len) payload 0x12 0x40 signature, nothing else.
        if (envelope.length < 4 || envelope[0] != 0x0a) {
            return malformed("envelope does not start with the payload field");
        }
        int pos = 1;
        long len = 0;
        int shift = 0;
        while (true) {
            if (pos >= envelope.length || shift > 28) {
                return malformed("envelope payload length is truncated");
            }
            byte b = envelope[pos++];
            len |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    return malformed("envelope payload length is not minimally encoded");
                }
                break;
            }
            shift += 7;
        }
        if (len <= 0 || pos + len + 2 + SIGNATURE_LENGTH != envelope.length) {
            return malformed("envelope length does not match its fields");
        }
        int payloadStart = pos;
        int sigTag = payloadStart + (int) len;
        if (envelope[sigTag] != 0x12 || envelope[sigTag + 1] != SIGNATURE_LENGTH) {
            return malformed("envelope signature field is missing or not 64 bytes");
        }
        byte[] payload = Arrays.copyOfRange(envelope, payloadStart, sigTag);
        byte[] signature = Arrays.copyOfRange(envelope, sigTag + 2, envelope.length);
        return decodePayload(envelope, payload, signature, checkSize);
    }

    private static DecodeResult decodePayload(byte[] envelope, byte[] payload, byte[] signature, boolean untrusted) {
        EventPayload p;
        try {
            p = EventPayload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return malformed("payload is not a valid EventPayload: " + e.getMessage());
        }
        // One payload, one reading: fields in order, once each, minimal varints, no defaults.
        // Stored events passed this check when they arrived, so trusted reads skip it.
        if (untrusted && !Arrays.equals(p.toByteArray(), payload)) {
            return malformed("payload is not in canonical Protobuf form (fields in number order, each once, "
                    + "minimal varints, no default values)");
        }
        if (p.getAuthor().size() != NodeId.LENGTH) {
            return malformed("author must be a 32-byte public key");
        }
        if (p.getSeq() < 1) {
            return malformed("seq must be at least 1");
        }
        EventId prev = null;
        if (p.getSeq() == 1) {
            if (!p.getPrev().isEmpty()) {
                return malformed("the first event of a feed has no prev");
            }
        } else if (p.getPrev().size() != EventId.LENGTH) {
            return malformed("prev must be a 32-byte event id");
        } else {
            prev = EventId.of(p.getPrev().toByteArray());
        }
        EventBody body;
        try {
            body = BodyMapper.fromWire(p);
        } catch (IllegalArgumentException e) {
            return malformed("body is malformed: " + e.getMessage());
        }
        if (body == null) {
            return malformed("event has no body");
        }
        NodeId author = NodeId.of(p.getAuthor().toByteArray());
        String problem = authorBodyProblem(author, body);
        if (problem != null) {
            return malformed(problem);
        }
        return new DecodeResult.Decoded(new SignedEvent(envelope, payload, signature, EventId.ofEnvelope(envelope),
                author, p.getSeq(), prev, p.getTimestampMs(), body));
    }

    /** Whether the event's signature verifies: its author's key over the domain prefix and the payload. */
    public static boolean signatureValid(org.council.crypto.SignatureVerifier verifier, SignedEvent e) {
        return verifier.verify(e.author(), DOMAIN, e.payloadUnsafe(), e.signatureUnsafe());
    }

    /**
     * Rules that tie a body to its author, shared by decoding and own appends: nobody may write
     * a receipt with themselves on both sides. Null when the pair is fine.
     */
    public static String authorBodyProblem(NodeId author, EventBody body) {
        if (body instanceof EventBody.ServiceProposed sp && sp.requester().equals(author)) {
            return "a node cannot propose a receipt for serving itself";
        }
        if (body instanceof EventBody.ServiceAcknowledged sa && sa.server().equals(author)) {
            return "a node cannot acknowledge a receipt from itself";
        }
        return null;
    }

    static DecodeResult malformed(String detail) {
        return new DecodeResult.Undecodable(false, detail);
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }
}
