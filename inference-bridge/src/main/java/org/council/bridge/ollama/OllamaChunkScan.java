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
final class OllamaChunkScan {

    /** Deeper values (in fields this scan skips) go to the tree decoder, which has its own limit. */
    static final int MAX_DEPTH = 64;

    private final StringBuilder chars = new StringBuilder();
    private String line;
    private int at;
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
            String name = is('"') ? string() : null;
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

    private String stringValue() {
        return is('"') ? string() : null;
    }

    /** The string starting at {@code at} (its opening quote), unescaped; null if not valid JSON. */
    private String string() {
        int start = ++at;
        while (true) {
            char c = line.charAt(at);
            if (c == '"') {
                return line.substring(start, at++); // the common case: nothing escaped
            }
            if (c == '\\') {
                chars.setLength(0);
                chars.append(line, start, at);
                return escaped();
            }
            if (c < 0x20) {
                return null;
            }
            at++;
        }
    }

    private String escaped() {
        while (true) {
            char c = line.charAt(at++);
            if (c == '"') {
                return chars.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                chars.append(c);
                continue;
            }
            char e = line.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> chars.append(e);
                case 'b' -> chars.append('\b');
                case 'f' -> chars.append('\f');
                case 'n' -> chars.append('\n');
                case 'r' -> chars.append('\r');
                case 't' -> chars.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(line.charAt(at++), 16);
                        if (d < 0 || line.charAt(at - 1) >= 0x80) { // ASCII only, as JSON: digit() takes any script's
                            return null;
                        }
                        code = code * 16 + d;
                    }
                    chars.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
    }

    /** Skips any JSON value, checking its syntax; false when it is not valid or nests too deep. */
    private boolean skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        char c = line.charAt(at);
        switch (c) {
            case '"' -> {
                return string() != null;
            }
            case '{' -> {
                return skipContainer('}', depth, true);
            }
            case '[' -> {
                return skipContainer(']', depth, false);
            }
            case 't' -> {
                return literal("true");
            }
            case 'f' -> {
                return literal("false");
            }
            case 'n' -> {
                return literal("null");
            }
            default -> {
                return number();
            }
        }
    }

    private boolean skipContainer(char close, int depth, boolean object) {
        at++;
        space();
        if (is(close)) {
            at++;
            return true;
        }
        while (true) {
            space();
            if (object) {
                if (!is('"') || string() == null) {
                    return false;
                }
                space();
                if (!is(':')) {
                    return false;
                }
                at++;
                space();
            }
            if (!skipValue(depth + 1)) {
                return false;
            }
            space();
            if (is(',')) {
                at++;
            } else if (is(close)) {
                at++;
                return true;
            } else {
                return false;
            }
        }
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private boolean number() {
        if (is('-')) {
            at++;
        }
        if (is('0')) {
            at++;
        } else if (!digits()) {
            return false;
        }
        if (is('.')) {
            at++;
            if (!digits()) {
                return false;
            }
        }
        if (is('e') || is('E')) {
            at++;
            if (is('+') || is('-')) {
                at++;
            }
            return digits();
        }
        return true;
    }

    private boolean digits() {
        int start = at;
        while (at < line.length() && line.charAt(at) >= '0' && line.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    /** The literal at {@code at}, not followed by more letters or digits (as a tokenizer would see it). */
    private boolean literal(String word) {
        if (!line.startsWith(word, at)) {
            return false;
        }
        at += word.length();
        return at == line.length() || !Character.isLetterOrDigit(line.charAt(at));
    }

    private boolean is(char c) {
        return at < line.length() && line.charAt(at) == c;
    }

    private void space() {
        while (at < line.length()) {
            char c = line.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
