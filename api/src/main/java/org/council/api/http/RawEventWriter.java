package org.council.api.http;

import java.util.Arrays;
import org.council.ledger.codec.WireReader;
import org.council.ledger.event.EventKind;

/**
 * Writes a stored event's JSON straight from its signed envelope: the same bytes as
 * {@link EventWriter} writes for the decoded event, without decoding it. Decoding (Protobuf
 * messages, then {@code EventBody} records) and hashing the envelope for its id were about a
 * third of the audit API's CPU, for events the store validated when they arrived; here the
 * envelope's fields are read in place ({@link WireReader}) and copied into the output as hex,
 * base64 or numbers. The id is the caller's: a page knows each event's id from the next event's
 * {@code prev}, a read by id knows it from the request.
 *
 * <p>Receipts and ratings (what a ledger is made of) are written here; the rare kinds, and any
 * event with a field this writer does not know, are left to the caller ({@link #write} answers
 * false and writes nothing), which decodes them and uses {@link EventWriter}. {@code
 * EventWriterTest} holds the two equal for every kind.
 *
 * <p>Not thread-safe: one per response, for its scratch arrays.
 */
final class RawEventWriter {

    private static final char HEX = 'h';
    private static final char STRING = 's';
    private static final char NUMBER = 'n';

    /** Body messages: JSON name (with its leading punctuation) and type, by field number - 1. */
    private static final byte[][] PROPOSED_NAMES = names("{\"job_id\":", ",\"requester\":", ",\"model\":",
            ",\"parameters_millions\":", ",\"prompt_tokens\":", ",\"completion_tokens\":", ",\"queue_ms\":",
            ",\"duration_ms\":", ",\"request_hash\":", ",\"response_hash\":", ",\"credits_milli\":", ",\"stage\":");
    private static final String PROPOSED_TYPES = "hhsnnnnnhhns";
    private static final byte[][] ACK_NAMES = names("{\"job_id\":", ",\"server\":", ",\"proposal_seq\":",
            ",\"proposal_id\":");
    private static final String ACK_TYPES = "hhnh";
    private static final byte[][] MEMBER_NAMES = names("{\"member\":", ",\"average_rank_milli\":", ",\"rankings\":");
    private static final String MEMBER_TYPES = "hnn";
    private static final byte[] COUNCIL_ID = JsonSink.ascii("{\"council_id\":");
    private static final byte[] MEMBERS = JsonSink.ascii(",\"members\":[");


    private static final int AUTHOR_FIELD = 1;
    private static final int SEQ_FIELD = 2;
    private static final int PREV_FIELD = 3;
    private static final int TIMESTAMP_FIELD = 4;
    private static final int PROPOSED_FIELD = 11;
    private static final int ACK_FIELD = 12;
    private static final int RATING_FIELD = 13;

    // The envelope last read by header(): where its parts are.
    private int payloadStart;
    private int payloadLength;
    private int signatureStart;
    private int authorStart;
    private long seq;
    private int prevStart;
    private long timestampMs;
    private int bodyField;
    private int bodyStart;
    private int bodyLength;

    // Hex written before into memoSink, copied rather than written again: a page's events share
    // their author, and each one's prev is the id written just before it (a third of its hex).
    private JsonSink memoSink;
    private final byte[] lastId = new byte[32];
    private int lastIdAt = -1;
    private final byte[] lastAuthor = new byte[32];
    private int lastAuthorAt = -1;

    // One body message's fields by number - 1: offset and length of bytes, or the varint value.
    private final int[] starts = new int[16];
    private final int[] lengths = new int[16];
    private final long[] values = new long[16];
    private final boolean[] present = new boolean[16];

    /**
     * Reads {@code envelope}'s top-level fields; false when it has one this writer does not
     * render (a kind other than receipts and ratings, or an unknown field).
     */
    boolean header(byte[] envelope) {
        WireReader env = new WireReader(envelope, 0, envelope.length);
        if (!env.next() || env.field() != 1 || env.wireType() != WireReader.LEN) {
            return false;
        }
        payloadStart = env.start();
        payloadLength = env.length();
        if (!env.next() || env.field() != 2 || env.length() != 64) {
            return false;
        }
        signatureStart = env.start();
        authorStart = -1;
        prevStart = -1;
        seq = 0;
        timestampMs = 0;
        bodyField = 0;
        WireReader p = new WireReader(envelope, payloadStart, payloadStart + payloadLength);
        while (p.next()) {
            switch (p.field()) {
                case AUTHOR_FIELD -> authorStart = p.length() == 32 ? p.start() : -2;
                case SEQ_FIELD -> seq = p.varint();
                case PREV_FIELD -> prevStart = p.length() == 32 ? p.start() : -2;
                case TIMESTAMP_FIELD -> timestampMs = p.varint();
                case PROPOSED_FIELD, ACK_FIELD, RATING_FIELD -> {
                    if (bodyField != 0 || p.wireType() != WireReader.LEN) {
                        return false;
                    }
                    bodyField = p.field();
                    bodyStart = p.start();
                    bodyLength = p.length();
                }
                default -> {
                    return false;
                }
            }
        }
        return bodyField != 0 && authorStart >= 0 && prevStart != -2;
    }

    /** The seq of the envelope last read by {@link #header}. */
    long seq() {
        return seq;
    }

    /** Where the last header's {@code prev} id starts in its envelope; -1 when it has none. */
    int prevStart() {
        return prevStart;
    }

    /**
     * Appends {@code envelope}'s event with id {@code id[idFrom, idFrom + 32)} and answers true, or
     * answers false having written nothing when this writer does not render it.
     */
    boolean write(JsonSink out, byte[] envelope, byte[] id, int idFrom) {
        if (!header(envelope) || !bodyReadable(envelope)) {
            return false;
        }
        if (out != memoSink) {
            memoSink = out;
            lastIdAt = -1;
            lastAuthorAt = -1;
        }
        out.raw(EventWriter.ID);
        int idAt = out.length();
        out.hex(id, idFrom, 32);
        out.raw(EventWriter.AUTHOR);
        lastAuthorAt = hex32(out, envelope, authorStart, lastAuthor, lastAuthorAt);
        out.raw(EventWriter.SEQ).number(seq);
        if (prevStart < 0) {
            out.raw(EventWriter.PREV_NULL);
        } else {
            out.raw(EventWriter.PREV);
            hex32(out, envelope, prevStart, lastId, lastIdAt);
        }
        System.arraycopy(id, idFrom, lastId, 0, 32);
        lastIdAt = idAt;
        out.raw(EventWriter.TIMESTAMP).number(timestampMs);
        out.raw(EventWriter.KIND).string(kind().wireName());
        out.raw(EventWriter.BODY);
        switch (bodyField) {
            // bodyReadable left the body's fields in the scratch arrays
            case PROPOSED_FIELD -> writeFields(out, envelope, PROPOSED_NAMES, PROPOSED_TYPES);
            case ACK_FIELD -> writeFields(out, envelope, ACK_NAMES, ACK_TYPES);
            default -> rating(out, envelope);
        }
        out.raw(EventWriter.PAYLOAD).base64(envelope, payloadStart, payloadLength);
        out.raw(EventWriter.SIGNATURE).hex(envelope, signatureStart, 64);
        out.raw(EventWriter.SIGNED_EVENT).base64(envelope);
        out.raw('}');
        return true;
    }

    /**
     * {@code src[from, from + 32)} as hex: copied from where it was written before when it equals
     * {@code memo} (whose hex is at {@code memoAt}), else written and kept in {@code memo}.
     * Answers where its hex now is.
     */
    private static int hex32(JsonSink out, byte[] src, int from, byte[] memo, int memoAt) {
        if (memoAt >= 0 && Arrays.equals(src, from, from + 32, memo, 0, 32)) {
            out.again(memoAt, 66);
            return memoAt;
        }
        int at = out.length();
        out.hex(src, from, 32);
        System.arraycopy(src, from, memo, 0, 32);
        return at;
    }

    private EventKind kind() {
        return switch (bodyField) {
            case PROPOSED_FIELD -> EventKind.SERVICE_PROPOSED;
            case ACK_FIELD -> EventKind.SERVICE_ACKNOWLEDGED;
            default -> EventKind.RATING;
        };
    }

    // Checked before anything is written, so that a body this writer cannot render falls back whole.
    private boolean bodyReadable(byte[] envelope) {
        return switch (bodyField) {
            case PROPOSED_FIELD -> fields(envelope, bodyStart, bodyLength, PROPOSED_TYPES);
            case ACK_FIELD -> fields(envelope, bodyStart, bodyLength, ACK_TYPES);
            default -> ratingReadable(envelope);
        };
    }

    private boolean ratingReadable(byte[] envelope) {
        WireReader r = new WireReader(envelope, bodyStart, bodyStart + bodyLength);
        int next = 1;
        while (r.next()) {
            if (r.wireType() != WireReader.LEN || r.field() < next || r.field() > 2
                    || (r.field() == 2 && !fields(envelope, r.start(), r.length(), MEMBER_TYPES))) {
                return false;
            }
            next = r.field();
        }
        return true;
    }

    /**
     * Reads a message's fields into the scratch arrays; false unless every field is one of
     * {@code types}' (by number), with its type's wire type, in number order and once each, as
     * the canonical form that ingest checks has them.
     */
    private boolean fields(byte[] buf, int from, int n, String types) {
        Arrays.fill(present, 0, types.length(), false);
        WireReader r = new WireReader(buf, from, from + n);
        int last = 0;
        while (r.next()) {
            int f = r.field();
            if (f <= last || f > types.length()
                    || r.wireType() != (types.charAt(f - 1) == NUMBER ? WireReader.VARINT : WireReader.LEN)) {
                return false;
            }
            last = f;
            present[f - 1] = true;
            starts[f - 1] = r.start();
            lengths[f - 1] = r.length();
            values[f - 1] = r.varint();
        }
        return true;
    }

    // Absent fields are Protobuf's defaults, as the decoded records have them: 0, "" and no bytes.
    private void writeFields(JsonSink out, byte[] buf, byte[][] names, String types) {
        for (int i = 0; i < names.length; i++) {
            out.raw(names[i]);
            boolean has = present[i];
            switch (types.charAt(i)) {
                case HEX -> out.hex(buf, has ? starts[i] : 0, has ? lengths[i] : 0);
                case STRING -> out.utf8(buf, has ? starts[i] : 0, has ? lengths[i] : 0);
                default -> out.number(has ? values[i] : 0);
            }
        }
        out.raw('}');
    }

    private void rating(JsonSink out, byte[] envelope) {
        WireReader r = new WireReader(envelope, bodyStart, bodyStart + bodyLength);
        boolean first = true;
        boolean hasCouncil = r.next() && r.field() == 1;
        out.raw(COUNCIL_ID).hex(envelope, hasCouncil ? r.start() : 0, hasCouncil ? r.length() : 0).raw(MEMBERS);
        for (boolean more = hasCouncil ? r.next() : r.field() == 2; more; more = r.next()) {
            if (!first) {
                out.raw(',');
            }
            first = false;
            fields(envelope, r.start(), r.length(), MEMBER_TYPES);
            writeFields(out, envelope, MEMBER_NAMES, MEMBER_TYPES);
        }
        out.raw(']').raw('}');
    }

    private static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = JsonSink.ascii(names[i]);
        }
        return out;
    }
}
