package org.council.bench.inference;

import io.vertx.core.buffer.Buffer;

/** Looks into NDJSON lines in place, without copying them into Strings. Stateless. */
final class NdjsonBytes {

    private NdjsonBytes() {
    }

    /** Whether {@code buf[..to)} ends with {@code suffix}. */
    static boolean endsWith(Buffer buf, int to, byte[] suffix) {
        if (to < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (buf.getByte(to - suffix.length + i) != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The index just after the first {@code needle} in {@code buf[from, to)}, or -1. */
    static int indexOf(Buffer buf, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i + needle.length;
        }
        return -1;
    }
}
