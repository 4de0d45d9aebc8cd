package org.council.api.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.Objects;
import java.util.function.Function;

/**
 * A verticle serving a router (the {@link NodeApi}, or an {@link AuditApi} alone) over HTTP on a configurable host (loopback by default)
 * and port ({@code 0} picks a free one; read it with {@link #actualPort()} once deployed).
 *
 * <p>Several instances built by {@link #sharing} listen on one port: Vert.x spreads the connections
 * over their event loops, so that streams (each answered token by token) do not all queue behind
 * one thread.
 *
 * <p><b>Thread-safety.</b> Deploy each instance once. {@link #actualPort()} may be read from any thread.
 */
public final class ApiServer extends VerticleBase {

    /** The default bind address: the API is for the operator unless they choose otherwise. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private final Function<Vertx, Router> routes;
    private final String host;
    private final int port;
    /** What is asked of Vert.x: {@code port}, or {@code -1} (its random port shared by instances) for {@code 0}. */
    private final int listenPort;
    private volatile int actualPort = -1;
    private HttpServer server;

    /** Serves the routes {@code routes} builds for this verticle's Vert.x instance. */
    public ApiServer(Function<Vertx, Router> routes, String host, int port) {
        this(routes, host, port, false);
    }

    private ApiServer(Function<Vertx, Router> routes, String host, int port, boolean shared) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        this.port = port;
        this.listenPort = shared && port == 0 ? -1 : port;
    }

    /**
     * One of several instances serving the same routes on the same port, each deployed on its own
     * event loop. With port {@code 0}, they share one free port (Vert.x's shared random port,
     * asked for as {@code -1}); a fixed port is shared by Vert.x as it is.
     */
    public static ApiServer sharing(Function<Vertx, Router> routes, String host, int port) {
        return new ApiServer(routes, host, port, true);
    }

    /** Serves the audit API alone. */
    public ApiServer(AuditApi api, String host, int port) {
        this(api::router, host, port);
    }

    /** Serves the audit API alone on {@link #DEFAULT_HOST}. */
    public ApiServer(AuditApi api, int port) {
        this(api::router, DEFAULT_HOST, port);
    }

    @Override
    public Future<?> start() {
        // No route upgrades to a WebSocket: without the compression extensions Vert.x leaves out
        // the handler that would inspect every request and response of every connection for one.
        server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(listenPort)
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false));
        return server.requestHandler(routes.apply(vertx))
                .listen()
                .onSuccess(s -> actualPort = s.actualPort());
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The port listened on, or -1 before the verticle has started. */
    public int actualPort() {
        return actualPort;
    }
}
