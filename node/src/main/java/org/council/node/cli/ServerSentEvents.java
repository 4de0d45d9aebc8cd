package org.council.node.cli;

import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads a {@code text/event-stream} body line by line (the WHATWG format: {@code event:} and
 * {@code data:} fields, comment lines starting with {@code :}, a blank line ends an event).
 * Stateless.
 */
final class ServerSentEvents {

    /** One event: its type ({@code message} when unnamed) and its data lines joined by newlines. */
    record Event(String type, String data) {
    }

    private ServerSentEvents() {
    }

    /**
     * Hands each complete event to {@code handler} until it returns false or the lines end.
     *
     * @return whether the handler stopped the reading (false: the stream ended first)
     */
    static boolean read(Stream<String> lines, Predicate<Event> handler) {
        String type = null;
        StringBuilder data = null;
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
            String line = it.next();
            if (line.isEmpty()) {
                if (data != null && !handler.test(new Event(type == null ? "message" : type, data.toString()))) {
                    return true;
                }
                type = null;
                data = null;
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    type = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        }
        return false;
    }
}
