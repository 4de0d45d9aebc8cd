package org.council.api.http;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip for the audit API's written answers (event pages and events), when the client's
 * {@code Accept-Encoding} allows it. Done here rather than by the HTTP server's compressor so that
 * it stays with the large, finished JSON answers it pays off for and never touches the node's
 * streaming endpoints, where deflating every token would add CPU per token. Level 1: a page is
 * mostly random bytes (signatures, hashes) in base64 and hex, which higher levels barely shrink
 * further. Stateless and thread-safe.
 */
final class Gzip {

    static final String ENCODING = "gzip";
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int LEVEL = 1;

    private Gzip() {
    }

    /** Whether an {@code Accept-Encoding} header value admits gzip (by name or {@code *}, q not 0). */
    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] f = part.split(";");
            String coding = f[0].trim();
            if (coding.equalsIgnoreCase(ENCODING) || coding.equals("*")) {
                return !zeroQuality(f);
            }
        }
        return false;
    }

    private static boolean zeroQuality(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim()) == 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** {@code bytes[0, len)} as one gzip member. */
    static Buffer compress(byte[] bytes, int len) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(bytes, 0, len);
            deflater.finish();
            // stored blocks bound the output at a little over the input
            byte[] out = Arrays.copyOf(HEADER, HEADER.length + len + len / 1000 * 5 + 64 + 8);
            int n = HEADER.length;
            while (!deflater.finished()) {
                if (n == out.length - 8) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                n += deflater.deflate(out, n, out.length - 8 - n);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, len);
            n = littleEndian(out, n, (int) crc.getValue());
            n = littleEndian(out, n, len);
            return Buffer.buffer(n).appendBytes(out, 0, n);
        } finally {
            deflater.end();
        }
    }

    private static int littleEndian(byte[] out, int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
        return at + 4;
    }
}
