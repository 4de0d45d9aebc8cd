package org.council.node.inference;

import java.util.List;

/** UTF-8 lengths without encoding: the per-token hot path counts bytes of every token. Stateless. */
final class Utf8 {

    private Utf8() {
    }

    /** What {@code s.getBytes(UTF_8).length} is, without encoding it (an unpaired surrogate becomes '?'). */
    static long length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The UTF-8 length of the pieces together. */
    static long length(List<String> pieces) {
        long n = 0;
        for (String piece : pieces) {
            n += length(piece);
        }
        return n;
    }
}
