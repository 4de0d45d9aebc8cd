package org.council.bridge.ollama;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads an ordinary streamed Ollama chunk with a streaming parser, pulling only the text and
 * thinking: no map per line, no spare objects, only the strings the sink receives. Anything else
 * (an {@code error}, the {@code done} object, {@code tool_calls}, a value of an unexpected type,
 * malformed JSON) makes {@link #read} answer false, and the caller decodes that line in full, so
 * the rare lines keep exactly the tree decoder's behaviour.
 *
 * <p>Reused line after line; confined to the decoder's thread.
 */
final class OllamaChunkScan {

    private static final JsonFactory JSON = new JsonFactory();

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

    /** True if {@code line} is a plain not-done chunk, now read; false if it needs the full decoder. */
    boolean read(String line) {
        content = null;
        messageThinking = null;
        response = null;
        thinking = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !fields(p, false)) {
                return false;
            }
            return p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads the fields of the object just started; false on anything the fast path does not take. */
    private boolean fields(JsonParser p, boolean inMessage) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                return false;
            }
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == null) {
                return false;
            }
            if (inMessage) {
                switch (name) {
                    case "content" -> content = text(p, v);
                    case "thinking" -> messageThinking = text(p, v);
                    case "tool_calls" -> {
                        return false;
                    }
                    default -> p.skipChildren();
                }
                if (v != JsonToken.VALUE_STRING && (name.equals("content") || name.equals("thinking"))) {
                    return false;
                }
                continue;
            }
            switch (name) {
                case "error" -> {
                    return false;
                }
                case "done" -> {
                    if (v != JsonToken.VALUE_FALSE) {
                        return false;
                    }
                }
                case "message" -> {
                    content = null; // a repeated key counts once, its last value, as in a tree
                    messageThinking = null;
                    if (v != JsonToken.START_OBJECT || !fields(p, true)) {
                        return false;
                    }
                }
                case "response", "thinking" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    if (name.equals("response")) {
                        response = p.getText();
                    } else {
                        thinking = p.getText();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return true;
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }
}
