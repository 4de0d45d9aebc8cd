package org.council.node.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.council.crypto.ApiToken;

/**
 * A small client of a node's JSON API for the command line: one base URL (e.g.
 * {@code http://127.0.0.1:7480/api/v1}), an optional bearer token, and every failure turned into
 * one clear {@link CliException} (an unreachable node, the API's {@code {"error":{"message"}}}, a
 * refused token). Thread-safe.
 */
final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final ApiToken token;
    private final Path tokenFile;
    private final HttpClient http;

    /** A client without a token (read endpoints); {@code tokenFile} names the token's file for messages. */
    ApiClient(String baseUrl, ApiToken token, Path tokenFile) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.tokenFile = tokenFile;
        // HTTP/1.1: no h2c upgrade dance, and server-sent events arrive as plain chunks
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    String baseUrl() {
        return base;
    }

    /** {@code GET base+path} answered with 200 and a JSON object. */
    JsonObject get(String path) {
        HttpResponse<String> r = send(request(path).GET().timeout(READ_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return json(path, r, 200);
    }

    /** As {@link #get}, but null when the API answers 404 (no such thing yet). */
    JsonObject getOrNull(String path) {
        HttpResponse<String> r = send(request(path).GET().timeout(READ_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return r.statusCode() == 404 ? null : json(path, r, 200);
    }

    /** {@code POST base+path} with a JSON body, expecting {@code status} and a JSON object. */
    JsonObject post(String path, JsonObject body, int status) {
        HttpResponse<String> r = send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                        .header("content-type", "application/json").timeout(READ_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return json(path, r, status);
    }

    /**
     * {@code POST base+path} asking for server-sent events; the response's lines as they arrive
     * (close the stream). No read timeout: the server ends the stream when its deadline passes.
     */
    Stream<String> postEventStream(String path, JsonObject body) {
        HttpResponse<Stream<String>> r = send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                        .header("content-type", "application/json").header("accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            String text;
            try (Stream<String> lines = r.body()) {
                text = String.join("\n", lines.toList());
            }
            throw failure(path, r.statusCode(), text);
        }
        return r.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + path));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "not a URL: " + base + path + " (" + e.getMessage() + ")");
        }
        b.header("accept", "application/json");
        if (token != null) {
            b.header("authorization", "Bearer " + token.hex());
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(req, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCode.FAILED, "the node at " + base + " did not answer " + req.uri().getPath()
                    + " in time");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                throw unreachable();
            }
            throw new CliException(ExitCode.FAILED, "talking to " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }

    private CliException unreachable() {
        return new CliException(ExitCode.FAILED, "no node answers at " + base + " (start one with `./council run`)");
    }

    private JsonObject json(String path, HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw failure(path, r.statusCode(), r.body());
        }
        try {
            return new JsonObject(r.body());
        } catch (DecodeException | ClassCastException e) {
            throw new CliException(ExitCode.FAILED, base + path + " did not answer a JSON object: " + e.getMessage());
        }
    }

    /** The API's own message when the body is its error object; a token hint on 401. */
    private CliException failure(String path, int status, String body) {
        String message = errorMessage(body);
        if (status == 401) {
            return new CliException(ExitCode.FAILED, "the node at " + base + " refused the API token (401"
                    + (message == null ? "" : ": " + message) + "). The token is the line in the running node's "
                    + "data dir, file api.token" + (tokenFile == null ? "" : "; this command read " + tokenFile)
                    + ": pass --data-dir of that node, or copy its api.token there.");
        }
        return new CliException(ExitCode.FAILED, base + path + " answered HTTP " + status
                + (message != null ? ": " + message : body == null || body.isBlank() ? "" : ": " + abbreviate(body)));
    }

    static String errorMessage(String body) {
        try {
            JsonObject error = new JsonObject(body).getJsonObject("error");
            return error == null ? null : error.getString("message");
        } catch (RuntimeException notTheErrorObject) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
