package org.council.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that JSON is written into directly: field names as pre-encoded bytes,
 * numbers, and byte strings hex- or base64-encoded straight into the array, with no
 * {@link String} and no Jackson tree in between. Every value comes out exactly as Jackson's
 * {@code ObjectMapper} writes it (an event's bytes on the wire do not depend on which of the
 * two rendered it; {@code EventWriterTest} holds them equal).
 *
 * <p>Not thread-safe: one sink per response.
 */
final class JsonSink {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    // Standard alphabet with padding, no line breaks: java.util.Base64.getEncoder() and Jackson's default.
    private static final byte[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    JsonSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
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

    JsonSink number(long v) {
        // Long.toString's digits are the ones Jackson writes; a 20-char string is cheap next to a page.
        String s = Long.toString(v);
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** {@code bytes} as a quoted lowercase hex string. */
    JsonSink hex(byte[] bytes) {
        ensure(bytes.length * 2 + 2);
        buf[len++] = '"';
        for (byte b : bytes) {
            buf[len++] = HEX[(b >> 4) & 0xf];
            buf[len++] = HEX[b & 0xf];
        }
        buf[len++] = '"';
        return this;
    }

    /** {@code bytes} as a quoted base64 string (standard alphabet, padded). */
    JsonSink base64(byte[] bytes) {
        int n = bytes.length;
        ensure((n + 2) / 3 * 4 + 2);
        byte[] out = buf;
        int o = len;
        out[o++] = '"';
        int i = 0;
        for (int whole = n - n % 3; i < whole; i += 3) {
            int v = (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff);
            out[o++] = BASE64[v >>> 18];
            out[o++] = BASE64[(v >>> 12) & 0x3f];
            out[o++] = BASE64[(v >>> 6) & 0x3f];
            out[o++] = BASE64[v & 0x3f];
        }
        if (i < n) {
            int v = (bytes[i] & 0xff) << 16 | (i + 1 < n ? (bytes[i + 1] & 0xff) << 8 : 0);
            out[o++] = BASE64[v >>> 18];
            out[o++] = BASE64[(v >>> 12) & 0x3f];
            out[o++] = i + 1 < n ? BASE64[(v >>> 6) & 0x3f] : (byte) '=';
            out[o++] = '=';
        }
        out[o++] = '"';
        len = o;
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
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        buf[len++] = '"';
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

    /** What was written, as a buffer to send (Vert.x copies a byte array in any case: copied once here). */
    Buffer toBuffer() {
        return Buffer.buffer(len).appendBytes(buf, 0, len);
    }

    /** What was written, gzipped ({@link Gzip}). */
    Buffer gzipped() {
        return Gzip.compress(buf, len);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
