package org.council.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * The first handler of a router that a web page in the operator's browser could reach: it keeps
 * pages of other sites from spending the node's credits, the way Ollama protects its port.
 * <ol>
 *   <li><b>Host</b> (against DNS rebinding, where a foreign page's own name is pointed at
 *       127.0.0.1 so the browser calls it same-origin): when the server is bound to loopback, a
 *       {@code Host} that does not name this machine (see {@link LocalHosts}) is refused with 403.
 *       Bound beyond loopback, any {@code Host} passes, as in Ollama.</li>
 *   <li><b>Origin</b> (optional): a request with an {@code Origin} header that {@link Origins}
 *       does not allow is refused with 403, whatever its method or content type (a
 *       {@code text/plain} POST needs no preflight, so only this stops it). Requests without
 *       {@code Origin} are not from a page and pass. An allowed origin gets
 *       {@code Access-Control-Allow-Origin} on every answer, and its preflight {@code OPTIONS}
 *       is answered here with 204.</li>
 *   <li><b>Bearer token</b> (optional): without {@code Authorization: Bearer <token>}, 401 with
 *       {@code WWW-Authenticate: Bearer}. Compared in constant time.</li>
 * </ol>
 * Refusals are written by a {@link Dialect}, so each route answers in its own error shape.
 *
 * <p><b>Thread-safety.</b> Immutable and thread-safe; never blocks.
 */
public final class BrowserGuard implements Handler<RoutingContext> {

    /** Writes a refusal in the error shape of the route the request was for. */
    @FunctionalInterface
    public interface Dialect {
        /**
         * @param status  403 or 401
         * @param message what was wrong, for a human
         */
        void refuse(RoutingContext ctx, int status, String message);
    }

    static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
    /** Ollama's list: what its own and OpenAI's browser clients send. */
    static final String ALLOW_HEADERS = "Authorization, Content-Type, User-Agent, Accept, X-Requested-With, "
            + "X-Stainless-Lang, X-Stainless-Package-Version, X-Stainless-OS, X-Stainless-Arch, "
            + "X-Stainless-Retry-Count, X-Stainless-Runtime, X-Stainless-Runtime-Version, X-Stainless-Async, "
            + "X-Stainless-Helper-Method, X-Stainless-Poll-Helper, X-Stainless-Custom-Poll-Interval, "
            + "X-Stainless-Timeout";
    static final String HOST_REFUSED = "forbidden: the Host header does not name this machine";
    static final String ORIGIN_REFUSED = "forbidden: requests from this origin are not allowed";
    static final String UNAUTHORIZED = "unauthorized";

    private final boolean checkHost;
    private final Origins origins;
    private final byte[] tokenDigest;
    private final Dialect dialect;

    private BrowserGuard(String bindHost, Origins origins, String token, Dialect dialect) {
        this.checkHost = LocalHosts.isLoopback(Objects.requireNonNull(bindHost, "bindHost"));
        this.origins = origins;
        this.tokenDigest = token == null ? null : sha256(token);
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /**
     * A guard with all three checks.
     *
     * @param bindHost the address the server listens on (decides the Host check)
     * @param origins  the browser origins allowed
     * @param token    the bearer token every request must carry, or empty for none
     */
    public static BrowserGuard create(String bindHost, Origins origins, Optional<String> token, Dialect dialect) {
        String t = Objects.requireNonNull(token, "token").orElse(null);
        if (t != null && (t.isBlank() || t.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("a bearer token is non-empty and has no whitespace");
        }
        return new BrowserGuard(bindHost, Objects.requireNonNull(origins, "origins"), t, dialect);
    }

    /**
     * The Host check alone, for a router that has its own authentication and serves its own pages
     * (whose same-origin requests carry the server's own, possibly non-loopback, origin).
     */
    public static BrowserGuard hostOnly(String bindHost, Dialect dialect) {
        return new BrowserGuard(bindHost, null, null, dialect);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (checkHost && !LocalHosts.allowedHost(host(req))) {
            dialect.refuse(ctx, 403, HOST_REFUSED);
            return;
        }
        String origin = req.getHeader("Origin");
        if (origins != null && origin != null) {
            if (!origins.allows(origin)) {
                dialect.refuse(ctx, 403, ORIGIN_REFUSED);
                return;
            }
            HttpServerResponse res = ctx.response();
            res.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin");
            if (req.method() == HttpMethod.OPTIONS) {
                // a preflight never carries credentials: answer it before the token check
                res.putHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
                        .putHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                        .putHeader("Access-Control-Max-Age", "43200")
                        .setStatusCode(204)
                        .end();
                return;
            }
        }
        if (tokenDigest != null && !authorized(req.getHeader("Authorization"))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            dialect.refuse(ctx, 401, UNAUTHORIZED);
            return;
        }
        ctx.next();
    }

    /** The host (no port) of the Host header as sent (HTTP/1.1), else of the authority (HTTP/2), else empty. */
    private static String host(HttpServerRequest req) {
        String h = req.getHeader("Host");
        if (h != null) {
            return LocalHosts.hostPart(h);
        }
        return req.authority() == null ? "" : LocalHosts.unbracket(req.authority().host());
    }

    /** Digests first, so the comparison takes the same time whatever the given token's length. */
    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(sha256(header.substring(7).strip()), tokenDigest);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
