package org.council.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64 for {@link JsonSink}: the JDK's encoder, an intrinsic (vector instructions) on common
 * CPUs, which writes only from index 0, hence a scratch array that the sink copies from. The
 * encoding of the last array is kept, so that a part of it (an event's payload, which starts 3
 * bytes into its envelope) and then the whole (the envelope) cost one encoding: a part starting
 * at a multiple of 3 has the whole's characters for its whole 3-byte groups, and only its last one
 * or two bytes are encoded apart, with padding.
 *
 * <p>Not thread-safe: one per sink. The arrays given must not change while their encoding is kept.
 */
final class Base64Parts {

    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .getBytes(StandardCharsets.US_ASCII);

    private byte[] chars = new byte[1024];
    private byte[] encodedOf;
    private int encodedLength;

    /** Encodes {@code bytes} (unless it is the array encoded last) and answers the length of its base64. */
    int encode(byte[] bytes) {
        if (encodedOf != bytes) {
            int n = (bytes.length + 2) / 3 * 4;
            if (chars.length < n) {
                chars = new byte[Math.max(n, chars.length * 2)];
            }
            Base64.getEncoder().encode(bytes, chars);
            encodedOf = bytes;
            encodedLength = n;
        }
        return encodedLength;
    }

    /** The characters of the last {@link #encode}. */
    byte[] chars() {
        return chars;
    }

    /** Forgets the last encoding (its array may change from now on). */
    void forget() {
        encodedOf = null;
    }

    /**
     * Writes the base64 of {@code bytes[from, from + n)}, {@code from} a multiple of 3, into
     * {@code out} at {@code at} (room for {@code (n + 2) / 3 * 4}) and answers where it ends.
     */
    int part(byte[] bytes, int from, int n, byte[] out, int at) {
        encode(bytes);
        int whole = n / 3 * 4;
        System.arraycopy(chars, from / 3 * 4, out, at, whole);
        int o = at + whole;
        int tail = from + n / 3 * 3;
        if (tail < from + n) {
            int b0 = bytes[tail] & 0xff;
            int b1 = tail + 1 < from + n ? bytes[tail + 1] & 0xff : -1;
            out[o++] = ALPHABET[b0 >> 2];
            out[o++] = ALPHABET[(b0 & 3) << 4 | (b1 < 0 ? 0 : b1 >> 4)];
            out[o++] = b1 < 0 ? (byte) '=' : ALPHABET[(b1 & 0xf) << 2];
            out[o++] = '=';
        }
        return o;
    }
}
