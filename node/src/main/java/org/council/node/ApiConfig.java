package org.council.node;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.council.api.http.LocalHosts;
import org.council.api.http.Origins;
import org.council.api.ollama.OllamaAccess;

/**
 * Where the node's HTTP faces listen: the JSON API (with {@code /metrics} and the dashboard) and
 * the Ollama-compatible endpoint, and who may use the latter. Both bind to loopback unless
 * configured otherwise; the Ollama-compatible endpoint refuses to listen beyond loopback without
 * a token, since whoever reaches it spends the node's credits. Immutable.
 *
 * @param host          address of the JSON API
 * @param port          port of the JSON API (0 = any free port)
 * @param ollamaHost    address of the Ollama-compatible endpoint
 * @param ollamaPort    port of the Ollama-compatible endpoint (0 = any free port)
 * @param ollamaOrigins browser origins allowed beyond this machine's own (patterns, see {@link Origins})
 * @param ollamaToken   the bearer token the endpoint requires, or empty for none (loopback only)
 */
public record ApiConfig(String host, int port, String ollamaHost, int ollamaPort, List<String> ollamaOrigins,
                        Optional<String> ollamaToken) {

    /** Loopback: nothing listens beyond this machine unless the operator says so. */
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 7480;
    /** One above Ollama's own 11434, so a node and its Ollama can run side by side. */
    public static final int DEFAULT_OLLAMA_PORT = 11435;
    /** A token anyone on the network could guess would protect nothing. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public ApiConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ollamaHost, "ollamaHost");
        checkPort("api port", port);
        checkPort("ollama-compatible port", ollamaPort);
        ollamaOrigins = List.copyOf(ollamaOrigins);
        Origins.of(ollamaOrigins);
        Objects.requireNonNull(ollamaToken, "ollamaToken");
        ollamaToken.ifPresent(ApiConfig::checkToken);
        if (ollamaToken.isEmpty() && !LocalHosts.isLoopback(ollamaHost)) {
            throw new IllegalArgumentException("the Ollama-compatible endpoint would listen on " + ollamaHost
                    + ", beyond loopback, without a token: set ollama.token (at least " + MIN_TOKEN_LENGTH
                    + " characters; clients send it as their API key) or keep ollama.listen.host on loopback");
        }
    }

    /** No extra origins and no token: the endpoint must then stay on loopback. */
    public ApiConfig(String host, int port, String ollamaHost, int ollamaPort) {
        this(host, port, ollamaHost, ollamaPort, List.of(), Optional.empty());
    }

    /** Loopback, free ports: for demos and tests. */
    public static ApiConfig local() {
        return new ApiConfig(LOOPBACK, 0, LOOPBACK, 0);
    }

    /** Loopback, the default ports. */
    public static ApiConfig defaults() {
        return new ApiConfig(LOOPBACK, DEFAULT_PORT, LOOPBACK, DEFAULT_OLLAMA_PORT);
    }

    /** This configuration with other browser origins and token for the Ollama-compatible endpoint. */
    public ApiConfig withOllamaAccess(List<String> origins, Optional<String> token) {
        return new ApiConfig(host, port, ollamaHost, ollamaPort, origins, token);
    }

    /** Who may use the Ollama-compatible endpoint, for {@link org.council.api.ollama.OllamaApi}. */
    public OllamaAccess ollamaAccess() {
        return new OllamaAccess(ollamaHost, Origins.of(ollamaOrigins), ollamaToken);
    }

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", ollamaHost=" + ollamaHost + ", ollamaPort="
                + ollamaPort + ", ollamaOrigins=" + ollamaOrigins + ", ollamaToken="
                + (ollamaToken.isPresent() ? "(hidden)" : "(none)") + "]";
    }

    private static void checkToken(String token) {
        if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x21
                || c > 0x7e)) {
            throw new IllegalArgumentException("ollama.token must be at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces");
        }
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be 0..65535, got " + port);
        }
    }
}
