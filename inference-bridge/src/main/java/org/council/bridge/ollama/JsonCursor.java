package org.council.bridge.ollama;

/**
 * A strict JSON scanner over one line of text: strings (unescaped only when they contain an
 * escape), and values skipped with their syntax checked (the number grammar, literals, nesting up
 * to {@link #MAX_DEPTH}). Each method answers null or false where a JSON parser would refuse the
 * text, and may throw {@link IndexOutOfBoundsException} on a line that ends too early.
 * {@link OllamaChunkScan} reads Ollama's stream lines with it. Not thread-safe.
 */
abstract class JsonCursor {

    /** Deeper values (in fields the scan skips) go to the tree decoder, which has its own limit. */
    static final int MAX_DEPTH = 64;

    private final StringBuilder chars = new StringBuilder();
    String line;
    int at;

    final String stringValue() {
        return is('"') ? string() : null;
    }

    /** The string starting at {@code at} (its opening quote), unescaped; null if not valid JSON. */
    final String string() {
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

    /**
     * A key at {@code at} (its opening quote): the one of {@code names} it spells unescaped, found
     * without a copy, else the key unescaped ({@link #string()}), or null if not valid JSON. Keys
     * come on every token line; building each as a string was most of a line's garbage.
     */
    final String key(String[] names) {
        int start = at + 1;
        int end = start;
        for (int n = line.length(); end < n; end++) {
            char c = line.charAt(end);
            if (c == '"' || c == '\\' || c < 0x20) {
                break;
            }
        }
        if (end < line.length() && line.charAt(end) == '"') {
            int length = end - start;
            for (String name : names) {
                if (name.length() == length && line.startsWith(name, start)) {
                    at = end + 1;
                    return name;
                }
            }
        }
        return string();
    }

    /** Skips the string at {@code at} (its opening quote), checking it, without building it; false if not valid JSON. */
    final boolean skipString() {
        int start = at;
        for (at++; ; at++) {
            char c = line.charAt(at);
            if (c == '"') {
                at++;
                return true;
            }
            if (c == '\\') { // rare: the escapes are checked by the full reading
                at = start;
                return string() != null;
            }
            if (c < 0x20) {
                return false;
            }
        }
    }

    final String escaped() {
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
    final boolean skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        char c = line.charAt(at);
        switch (c) {
            case '"' -> {
                return skipString();
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

    final boolean skipContainer(char close, int depth, boolean object) {
        at++;
        space();
        if (is(close)) {
            at++;
            return true;
        }
        while (true) {
            space();
            if (object) {
                if (!is('"') || !skipString()) {
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
    final boolean number() {
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

    final boolean digits() {
        int start = at;
        while (at < line.length() && line.charAt(at) >= '0' && line.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    /** The literal at {@code at}, not followed by more letters or digits (as a tokenizer would see it). */
    final boolean literal(String word) {
        if (!line.startsWith(word, at)) {
            return false;
        }
        at += word.length();
        return at == line.length() || !Character.isLetterOrDigit(line.charAt(at));
    }

    final boolean is(char c) {
        return at < line.length() && line.charAt(at) == c;
    }

    final void space() {
        while (at < line.length()) {
            char c = line.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
