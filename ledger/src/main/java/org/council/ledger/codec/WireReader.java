package org.council.ledger.codec;

/**
 * A forward-only reader of Protobuf's wire format over a range of a byte array, for read paths
 * that render stored events straight from their bytes instead of decoding them into records (the
 * audit API renders a page of events this way: parsing into generated messages and then into
 * {@code EventBody} was most of its CPU). It checks nothing beyond the bounds of the range, so it
 * is for bytes the store validated at ingest ({@link EventCodec#decode}); malformed bytes make it
 * throw {@link IllegalStateException} rather than read outside the range.
 *
 * <p>Not thread-safe; cheap to create, one per message read.
 */
public final class WireReader {

    public static final int VARINT = 0;
    public static final int FIXED64 = 1;
    public static final int LEN = 2;
    public static final int FIXED32 = 5;

    private final byte[] buf;
    private final int end;
    private int pos;
    private int tag;
    private long value;
    private int start;
    private int length;

    public WireReader(byte[] buf, int from, int to) {
        if (from < 0 || to > buf.length || from > to) {
            throw new IllegalStateException("range outside the array");
        }
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    /** Moves to the next field; false at the end of the range. Groups are not read (no message uses them). */
    public boolean next() {
        if (pos >= end) {
            return false;
        }
        tag = (int) readVarint();
        switch (tag & 7) {
            case VARINT -> value = readVarint();
            case LEN -> {
                long n = readVarint();
                if (n < 0 || n > end - pos) {
                    throw new IllegalStateException("field length runs past the message");
                }
                start = pos;
                length = (int) n;
                pos += length;
            }
            case FIXED64 -> skip(8);
            case FIXED32 -> skip(4);
            default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
        }
        return true;
    }

    /** The current field's number. */
    public int field() {
        return tag >>> 3;
    }

    /** The current field's wire type ({@link #VARINT}, {@link #LEN}, ...). */
    public int wireType() {
        return tag & 7;
    }

    /** The current varint field's value. */
    public long varint() {
        return value;
    }

    /** Where the current length-delimited (or fixed) field's bytes start in the array. */
    public int start() {
        return start;
    }

    /** How many bytes the current length-delimited (or fixed) field has. */
    public int length() {
        return length;
    }

    private void skip(int n) {
        if (n > end - pos) {
            throw new IllegalStateException("fixed field runs past the message");
        }
        start = pos;
        length = n;
        pos += n;
    }

    private long readVarint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IllegalStateException("varint runs past the message");
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }
}
