package org.council.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that {@code Host} and {@code Origin} are exactly what a browser
 * (or an attacking page) would send: HTTP clients set {@code Host} themselves. One exchange per
 * connection ({@code Connection: close}); bodies with a length only (no chunked decoding).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Status, headers (names lower-cased) and body of one answer. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One exchange on a fresh connection to 127.0.0.1; {@code Host} defaults to 127.0.0.1:port. */
    public static Reply send(int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:" + port);
        h.putAll(headers);
        h.put("Connection", "close");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            h.putIfAbsent("Content-Type", "application/json");
            h.put("Content-Length", String.valueOf(bytes.length));
        }
        StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String raw = all.toString(StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> got = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                got.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), got, raw.substring(split + 4));
        }
    }
}
