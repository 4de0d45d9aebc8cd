package org.council.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that JSON is written into directly: field names as pre-encoded bytes,
 * numbers and hex straight into the array, base64 by the JDK's encoder ({@link Base64Parts}), with
 * no {@link String} and no Jackson tree in between. Every value comes out exactly as Jackson's
 * {@code ObjectMapper} writes it (an event's bytes on the wire do not depend on which of the
 * two rendered it; {@code EventWriterTest} holds them equal).
 *
 * <p>Not thread-safe: one sink per response, written and finished on one thread.
 */
final class JsonSink {

    private static final byte[] HEX2 = new byte[512];
    private static final VarHandle BIG_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] DIGITS = new byte[200];
    private static final long[] POW10 = new long[19];

    static {
        byte[] hex = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int b = 0; b < 256; b++) {
            HEX2[2 * b] = hex[b >> 4];
            HEX2[2 * b + 1] = hex[b & 0xf];
        }
        for (int d = 0; d < 100; d++) {
            DIGITS[2 * d] = (byte) ('0' + d / 10);
            DIGITS[2 * d + 1] = (byte) ('0' + d % 10);
        }
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /**
     * Each thread keeps the array of its last finished sink (up to this size) for its next one:
     * a page is a few hundred kilobytes, and the worker threads that write pages are few and
     * long-lived, so this takes a page's worth of garbage off every request.
     */
    private static final int SPARE_MAX = 4 << 20;
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();

    private byte[] buf;
    private final Base64Parts base64 = new Base64Parts();
    private int len;

    JsonSink(int capacity) {
        int size = Math.max(16, capacity);
        byte[] spare = SPARE.get();
        if (spare != null && spare.length >= size) {
            SPARE.set(null);
            buf = spare;
        } else {
            buf = new byte[size];
        }
    }

    /** The pre-encoded bytes of {@code ascii}, for field names and punctuation known in advance. */
    static byte[] ascii(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    int length() {
        return len;
    }

    JsonSink raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    JsonSink raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** {@code v} in decimal, as Jackson and {@link Long#toString} write it. */
    JsonSink number(long v) {
        if (v < 0) { // no event field is negative; Long.toString also covers MIN_VALUE
            String s = Long.toString(v);
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return this;
        }
        // Digits counted by comparison and written two at a time: an event has a dozen numbers,
        // and a division per digit showed in profiles.
        int digits = 1;
        while (digits < POW10.length && v >= POW10[digits]) {
            digits++;
        }
        ensure(digits);
        int i = len + digits;
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            buf[--i] = DIGITS[2 * r + 1];
            buf[--i] = DIGITS[2 * r];
        }
        if (v >= 10) {
            buf[--i] = DIGITS[2 * (int) v + 1];
            buf[--i] = DIGITS[2 * (int) v];
        } else {
            buf[--i] = (byte) ('0' + v);
        }
        len += digits;
        return this;
    }

    /** {@code bytes} as a quoted lowercase hex string. */
    JsonSink hex(byte[] bytes) {
        return hex(bytes, 0, bytes.length);
    }

    /** {@code bytes[from, from + n)} as a quoted lowercase hex string. */
    JsonSink hex(byte[] bytes, int from, int n) {
        ensure(n * 2 + 2);
        byte[] out = buf;
        int o = len;
        out[o++] = '"';
        int i = from;
        int end = from + n;
        // Four bytes at a time into eight digits with word arithmetic: hex is half of an event's
        // JSON (ids, keys, hashes, signature), and a table lookup per byte led the profile.
        for (; i + 4 <= end; i += 4, o += 8) {
            long v = (int) BIG_INT.get(bytes, i) & 0xffffffffL;
            v = (v & 0xffff0000L) << 16 | (v & 0xffffL);
            v = (v & 0x0000ff000000ff00L) << 8 | (v & 0x000000ff000000ffL);
            v = (v & 0x00f000f000f000f0L) << 4 | (v & 0x000f000f000f000fL);
            // each byte is now one nibble; those of 10 and more become letters
            long letters = ((v + 0x0606060606060606L) >>> 4) & 0x0101010101010101L;
            BIG_LONG.set(out, o, v + 0x3030303030303030L + letters * ('a' - '0' - 10));
        }
        for (; i < end; i++) {
            int b = (bytes[i] & 0xff) << 1;
            out[o++] = HEX2[b];
            out[o++] = HEX2[b + 1];
        }
        out[o++] = '"';
        len = o;
        return this;
    }

    /** {@code bytes} as a quoted base64 string (standard alphabet, padded). */
    JsonSink base64(byte[] bytes) {
        int n = base64.encode(bytes);
        ensure(n + 2);
        buf[len++] = '"';
        System.arraycopy(base64.chars(), 0, buf, len, n);
        len += n;
        buf[len++] = '"';
        base64.forget();
        return this;
    }

    /**
     * {@code bytes[from, from + n)} as a quoted base64 string, as {@link #base64(byte[])}: when
     * {@code from} is a multiple of 3, cut from the whole array's encoding, which is kept for a
     * {@link #base64(byte[])} of the same array next (an event's payload, then its envelope;
     * {@link Base64Parts}). {@code bytes} must not change until then.
     */
    JsonSink base64(byte[] bytes, int from, int n) {
        if (from == 0 && n == bytes.length) {
            return base64(bytes);
        }
        if (from % 3 != 0) {
            return base64(Arrays.copyOfRange(bytes, from, from + n));
        }
        ensure((n + 2) / 3 * 4 + 2);
        buf[len] = '"';
        len = base64.part(bytes, from, n, buf, len + 1);
        return raw('"');
    }

    /** Appends a copy of {@code n} bytes already written at {@code at}: a value written before, again. */
    JsonSink again(int at, int n) {
        ensure(n);
        System.arraycopy(buf, at, buf, len, n);
        len += n;
        return this;
    }

    /**
     * The UTF-8 string in {@code bytes[from, from + n)} as a quoted JSON string, as
     * {@link #string(String)} writes the decoded string: printable ASCII is copied as is.
     */
    JsonSink utf8(byte[] bytes, int from, int n) {
        for (int i = from, end = from + n; i < end; i++) {
            byte c = bytes[i];
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return string(new String(bytes, from, n, StandardCharsets.UTF_8));
            }
        }
        ensure(n + 2);
        buf[len++] = '"';
        System.arraycopy(bytes, from, buf, len, n);
        len += n;
        buf[len++] = '"';
        return this;
    }

    /**
     * {@code s} as a quoted JSON string. Printable ASCII without quote or backslash (model names,
     * addresses, kind names) is copied as is; anything else is left to Jackson, whose escaping
     * (control characters, lone and paired surrogates) is then exactly the tree's.
     */
    JsonSink string(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return raw(jackson(s));
            }
        }
        ensure(n + 2);
        byte[] out = buf;
        int o = len;
        out[o++] = '"';
        for (int i = 0; i < n; i++) {
            out[o++] = (byte) s.charAt(i);
        }
        out[o++] = '"';
        len = o;
        return this;
    }

    private static byte[] jackson(String s) {
        try {
            return Responses.MAPPER.writeValueAsBytes(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string did not serialize", e);
        }
    }

    /** A copy of what was written. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /**
     * What was written, as a buffer to send (Vert.x copies a byte array in any case: copied once
     * here). Finishes the sink: it must not be used afterwards.
     */
    Buffer toBuffer() {
        Buffer out = Buffer.buffer(len).appendBytes(buf, 0, len);
        recycle();
        return out;
    }

    /**
     * What was written, copied once into a pooled direct buffer, which the socket writes from as
     * it is: a heap buffer (as {@link #toBuffer()} makes) costs a fresh zeroed array of a page's
     * size and, at the socket, one more copy into direct memory; the two were a quarter of the
     * audit API's CPU. The caller owns the buffer and must release it once it is sent (or not
     * sent). Finishes the sink, as {@link #toBuffer()} does.
     */
    ByteBuf toDirect(ByteBufAllocator pool) {
        ByteBuf out = pool.directBuffer(len, len);
        out.writeBytes(buf, 0, len);
        recycle();
        return out;
    }

    /** What was written, gzipped ({@link Gzip}). Finishes the sink, as {@link #toBuffer()} does. */
    Buffer gzipped() {
        Buffer out = Gzip.compress(buf, len);
        recycle();
        return out;
    }

    // The array goes back to this thread's spare; the sink drops it, so a late write fails loudly.
    private void recycle() {
        byte[] spare = SPARE.get();
        if (buf.length <= SPARE_MAX && (spare == null || spare.length < buf.length)) {
            SPARE.set(buf);
        }
        buf = null;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
