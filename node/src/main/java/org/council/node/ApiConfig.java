package org.council.node;

import java.util.Objects;

/**
 * Where the node's HTTP faces listen: the JSON API (with {@code /metrics} and the dashboard) and
 * the Ollama-compatible endpoint. Both bind to loopback unless configured otherwise. Immutable.
 *
 * @param host       address of the JSON API
 * @param port       port of the JSON API (0 = any free port)
 * @param ollamaHost address of the Ollama-compatible endpoint
 * @param ollamaPort port of the Ollama-compatible endpoint (0 = any free port)
 */
public record ApiConfig(String host, int port, String ollamaHost, int ollamaPort) {

    /** Loopback: nothing listens beyond this machine unless the operator says so. */
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 7480;
    /** One above Ollama's own 11434, so a node and its Ollama can run side by side. */
    public static final int DEFAULT_OLLAMA_PORT = 11435;

    public ApiConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ollamaHost, "ollamaHost");
        checkPort("api port", port);
        checkPort("ollama-compatible port", ollamaPort);
    }

    /** Loopback, free ports: for demos and tests. */
    public static ApiConfig local() {
        return new ApiConfig(LOOPBACK, 0, LOOPBACK, 0);
    }

    /** Loopback, the default ports. */
    public static ApiConfig defaults() {
        return new ApiConfig(LOOPBACK, DEFAULT_PORT, LOOPBACK, DEFAULT_OLLAMA_PORT);
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be 0..65535, got " + port);
        }
    }
}
