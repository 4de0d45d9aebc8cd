package org.council.api.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Objects;
import java.util.function.Supplier;
import org.council.api.NodeActions;
import org.council.api.NodeInfo;
import org.council.crypto.ApiToken;
import org.council.ledger.reputation.Reputation;
import org.council.ledger.store.LedgerStore;

/**
 * Everything the node serves on its API port: the audit API, the status reads, the acting
 * endpoints (bearer token), Prometheus {@code /metrics} at the root and the static dashboard at
 * {@code /dashboard/} ({@code /} redirects there). Thread-safe; the ports must be too.
 */
public final class NodeApi {

    /** The Prometheus text exposition format, version 0.0.4. */
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final AuditApi audit;
    private final StatusApi status;
    private final ActionApi actions;
    private final ClaimsApi claims;
    private final Supplier<String> metrics;

    /**
     * @param metrics renders the node's metrics in the Prometheus text format (called on a worker)
     */
    public NodeApi(LedgerStore store, Reputation reputation, NodeInfo node, NodeActions actions, ApiToken token,
                   Supplier<String> metrics) {
        this.audit = new AuditApi(store, reputation, node);
        this.status = new StatusApi(store, reputation, node);
        this.actions = new ActionApi(actions, token);
        this.claims = new ClaimsApi(node);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The routes for a server bound to loopback. */
    public Router router(Vertx vertx) {
        return router(vertx, ApiServer.DEFAULT_HOST);
    }

    /**
     * The routes for a server bound to {@code bindHost}: bound to loopback, requests whose
     * {@code Host} does not name this machine (DNS rebinding) are refused with 403 FORBIDDEN
     * before any route runs.
     */
    public Router router(Vertx vertx, String bindHost) {
        Router r = Router.router(vertx);
        r.route().handler(BrowserGuard.hostOnly(bindHost, (ctx, status, message) ->
                ctx.fail(new ApiException(ErrorCode.forStatus(status), message))));
        audit.mount(r);
        status.mount(r);
        actions.mount(r);
        claims.mount(r);
        r.get("/metrics").handler(ctx -> ctx.vertx().executeBlocking(metrics::get, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.response().putHeader("content-type", PROMETHEUS_TYPE).end(ar.result());
            }
        }));
        r.get("/").handler(ctx -> ctx.redirect("/dashboard/"));
        // Vert.x Web matches "/dashboard" and "/dashboard/" alike: redirect only the first, or the
        // page would redirect to itself forever.
        r.get("/dashboard").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.next();
            } else {
                ctx.redirect("/dashboard/");
            }
        });
        r.get("/dashboard/*").handler(StaticHandler.create("webroot/dashboard")
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                .setIndexPage("index.html"));
        ErrorResponder.install(r);
        return r;
    }
}
