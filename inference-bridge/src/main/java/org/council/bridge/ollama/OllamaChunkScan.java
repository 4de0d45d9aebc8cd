package org.council.bridge.ollama;

/**
 * Reads an ordinary streamed Ollama chunk by scanning its characters once, pulling only the text
 * and thinking: no parser, no map per line, no spare objects, only the strings the sink receives.
 * A token arrives as one such line, so this runs tens of thousands of times a second; a JSON
 * parser per line was most of the node's allocation per token. Anything else (an {@code error},
 * the {@code done} object, {@code tool_calls}, a value of an unexpected type, anything that is not
 * strict JSON, nesting deeper than {@link #MAX_DEPTH}) makes {@link #read} answer false, and the
 * caller decodes that line in full, so the rare lines keep exactly the tree decoder's behaviour.
 * The scan is strict where a JSON parser is (string escapes, control characters, number grammar,
 * literals, trailing content), so it never accepts a line the tree decoder would refuse.
 *
 * <p>Reused line after line; confined to the decoder's thread.
 */
final class OllamaChunkScan extends JsonCursor {

    /** The keys the scan acts on, matched in place (others are skipped by value). */
    private static final String[] TOP_KEYS = {"model", "created_at", "message", "done", "response", "thinking", "error"};
    private static final String[] MESSAGE_KEYS = {"role", "content", "thinking", "tool_calls"};

    private String content;
    private String messageThinking;
    private String response;
    private String thinking;

    /** Top-level {@code message.content}, or null when absent. */
    String content() {
        return content;
    }

    String messageThinking() {
        return messageThinking;
    }

    /** Top-level {@code response} (generate), or null when absent. */
    String response() {
        return response;
    }

    String thinking() {
        return thinking;
    }

    /** True if {@code text} is a plain not-done chunk, now read; false if it needs the full decoder. */
    boolean read(String text) {
        content = null;
        messageThinking = null;
        response = null;
        thinking = null;
        line = text;
        at = 0;
        try {
            space();
            if (!is('{') || !fields(false)) {
                return false;
            }
            space();
            return at == line.length();
        } catch (IndexOutOfBoundsException truncated) {
            return false;
        } finally {
            line = null;
        }
    }

    /** Reads the fields of the object at {@code at}; false on anything the fast path does not take. */
    private boolean fields(boolean inMessage) {
        at++; // '{'
        space();
        if (is('}')) {
            at++;
            return true;
        }
        while (true) {
            space();
            String name = is('"') ? key(inMessage ? MESSAGE_KEYS : TOP_KEYS) : null;
            if (name == null) {
                return false;
            }
            space();
            if (!is(':')) {
                return false;
            }
            at++;
            space();
            if (!(inMessage ? messageField(name) : topField(name))) {
                return false;
            }
            space();
            if (is(',')) {
                at++;
            } else if (is('}')) {
                at++;
                return true;
            } else {
                return false;
            }
        }
    }

    private boolean messageField(String name) {
        switch (name) {
            case "content" -> content = stringValue();
            case "thinking" -> messageThinking = stringValue();
            case "tool_calls" -> {
                return false;
            }
            default -> {
                return skipValue(1);
            }
        }
        return name.equals("content") ? content != null : messageThinking != null;
    }

    private boolean topField(String name) {
        switch (name) {
            case "error" -> {
                return false;
            }
            case "done" -> {
                return literal("false");
            }
            case "message" -> {
                content = null; // a repeated key counts once, its last value, as in a tree
                messageThinking = null;
                return is('{') && fields(true);
            }
            case "response" -> {
                response = stringValue();
                return response != null;
            }
            case "thinking" -> {
                thinking = stringValue();
                return thinking != null;
            }
            default -> {
                return skipValue(1);
            }
        }
    }
}
