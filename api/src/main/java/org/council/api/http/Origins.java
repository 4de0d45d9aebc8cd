package org.council.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The browser origins an endpoint answers: always this machine's own ({@code http(s)://localhost},
 * {@code 127.0.0.1}, {@code [::1]} and {@code 0.0.0.0}, any port) and the desktop-app schemes
 * Ollama allows by default ({@code app://}, {@code file://}, {@code tauri://},
 * {@code vscode-webview://}, {@code vscode-file://}), plus the operator's extra patterns. A pattern
 * is an origin in which {@code *} stands for any run of characters ({@code http://host:*},
 * {@code chrome-extension://*}); {@code *} alone allows every origin. Matching ignores case.
 * Immutable and thread-safe.
 */
public final class Origins {

    /** What every endpoint allows without configuration. */
    public static final List<String> DEFAULTS = defaults();

    private final List<String> patterns;
    private final List<String> extra;

    private Origins(List<String> extra) {
        this.extra = List.copyOf(extra);
        List<String> all = new ArrayList<>(DEFAULTS);
        this.extra.forEach(p -> all.add(p.toLowerCase(Locale.ROOT)));
        this.patterns = List.copyOf(all);
    }

    /**
     * The defaults plus {@code extra} patterns.
     *
     * @throws IllegalArgumentException for a blank pattern or one with whitespace
     */
    public static Origins of(List<String> extra) {
        for (String p : Objects.requireNonNull(extra, "extra")) {
            if (p == null || p.isBlank() || !p.strip().equals(p) || p.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("an origin pattern is an origin such as https://app.example"
                        + " or http://host:*, got `" + p + "`");
            }
        }
        return new Origins(extra);
    }

    /** The operator's patterns, as given. */
    public List<String> extra() {
        return extra;
    }

    /** Whether a request's {@code Origin} header value is allowed. */
    public boolean allows(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (glob(p, o)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} matches any run of characters (including none); everything else matches itself. */
    static boolean glob(String pattern, String s) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(s);
        }
        String head = pattern.substring(0, star);
        if (!s.startsWith(head)) {
            return false;
        }
        String rest = pattern.substring(star + 1);
        for (int i = head.length(); i <= s.length(); i++) {
            if (glob(rest, s.substring(i))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> defaults() {
        List<String> out = new ArrayList<>();
        for (String host : new String[] {"localhost", "127.0.0.1", "[::1]", "0.0.0.0"}) {
            for (String scheme : new String[] {"http", "https"}) {
                out.add(scheme + "://" + host);
                out.add(scheme + "://" + host + ":*");
            }
        }
        for (String scheme : new String[] {"app", "file", "tauri", "vscode-webview", "vscode-file"}) {
            out.add(scheme + "://*");
        }
        return List.copyOf(out);
    }
}
