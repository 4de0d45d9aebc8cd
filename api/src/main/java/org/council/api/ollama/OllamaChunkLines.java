package org.council.api.ollama;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Renders one answer's streamed chunk lines straight to bytes, the same bytes
 * {@code OllamaJson.line(OllamaJson.chunk(...))} and {@code thinkingChunk} produce: the model name
 * is escaped once per answer, the timestamp once per millisecond, and only the piece of text is
 * encoded per token. A per-token Jackson tree, {@code Instant.toString()} and two array copies were
 * most of the node's allocation per streamed token.
 *
 * <p>Confined to the answer's context. The timestamp cache is shared by every answer: with many
 * streams at a token a millisecond each, a per-answer cache rendered the time for every token.
 */
final class OllamaChunkLines {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CREATED_AT = bytes("\",\"created_at\":\"");
    private static final byte[] CHAT_CONTENT = bytes("\",\"message\":{\"role\":\"assistant\",\"content\":\"");
    private static final byte[] CHAT_END = bytes("\"},\"done\":false}\n");
    private static final byte[] CHAT_THINKING = bytes("\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"");
    private static final byte[] GENERATE_RESPONSE = bytes("\",\"response\":\"");
    private static final byte[] GENERATE_END = bytes("\",\"done\":false}\n");
    private static final byte[] GENERATE_THINKING = bytes("\",\"response\":\"\",\"done\":false,\"thinking\":\"");
    private static final byte[] GENERATE_THINKING_END = bytes("\"}\n");

    private final boolean chat;
    /** {@code {"model":"<escaped model>} followed by the created_at key. */
    private final byte[] head;
    /** The last millisecond rendered, for every answer on every thread (an immutable pair: racing renders agree). */
    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, new byte[0]);

    private record Stamp(long millis, byte[] bytes) {
    }

    OllamaChunkLines(OllamaCall.Shape shape, String model) {
        this.chat = shape == OllamaCall.Shape.CHAT;
        Buffer h = Buffer.buffer().appendString("{\"model\":\"");
        escape(h, model);
        this.head = h.appendBytes(CREATED_AT).getBytes();
    }

    /**
     * Bytes enough for the line of {@code text} in most cases (each character as at most three
     * UTF-8 bytes, the fixed parts at their longest): a buffer sized by guess either wasted half
     * its bytes or grew, copying, on a short token's line.
     */
    int lineBytes(String text) {
        return head.length + 32 + CHAT_THINKING.length + CHAT_END.length + 3 * text.length();
    }

    /** Appends one NDJSON chunk line carrying {@code text} as content, or as thinking. */
    void append(Buffer out, String text, boolean thinking) {
        out.appendBytes(head).appendBytes(stamp());
        if (chat) {
            out.appendBytes(thinking ? CHAT_THINKING : CHAT_CONTENT);
            escape(out, text);
            out.appendBytes(CHAT_END);
        } else if (thinking) {
            out.appendBytes(GENERATE_THINKING);
            escape(out, text);
            out.appendBytes(GENERATE_THINKING_END);
        } else {
            out.appendBytes(GENERATE_RESPONSE);
            escape(out, text);
            out.appendBytes(GENERATE_END);
        }
    }

    private static byte[] stamp() {
        long now = System.currentTimeMillis();
        Stamp s = lastStamp;
        if (now != s.millis()) {
            s = new Stamp(now, bytes(Instant.ofEpochMilli(now).toString()));
            lastStamp = s;
        }
        return s.bytes();
    }

    /**
     * Jackson's default string escaping in UTF-8: {@code "} and {@code \}, the short escapes for
     * control characters that have one, a six-character unicode escape for the others, and (as Jackson's UTF-8
     * generator does) every surrogate half as such an escape; everything else as UTF-8.
     */
    static void escape(Buffer out, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out.appendByte((byte) '\\');
                }
                out.appendByte((byte) c);
            } else if (c < 0x20) {
                control(out, c);
            } else if (c < 0x800) {
                out.appendByte((byte) (0xC0 | (c >> 6))).appendByte((byte) (0x80 | (c & 0x3F)));
            } else if (!Character.isSurrogate(c)) {
                out.appendByte((byte) (0xE0 | (c >> 12))).appendByte((byte) (0x80 | ((c >> 6) & 0x3F)))
                        .appendByte((byte) (0x80 | (c & 0x3F)));
            } else {
                unicode(out, c);
            }
        }
    }

    private static void control(Buffer out, char c) {
        switch (c) {
            case '\b' -> out.appendByte((byte) '\\').appendByte((byte) 'b');
            case '\t' -> out.appendByte((byte) '\\').appendByte((byte) 't');
            case '\n' -> out.appendByte((byte) '\\').appendByte((byte) 'n');
            case '\f' -> out.appendByte((byte) '\\').appendByte((byte) 'f');
            case '\r' -> out.appendByte((byte) '\\').appendByte((byte) 'r');
            default -> unicode(out, c);
        }
    }

    private static void unicode(Buffer out, char c) {
        out.appendByte((byte) '\\').appendByte((byte) 'u').appendByte(HEX[c >> 12]).appendByte(HEX[(c >> 8) & 0xF])
                .appendByte(HEX[(c >> 4) & 0xF]).appendByte(HEX[c & 0xF]);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
