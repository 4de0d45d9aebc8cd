package org.council.bridge.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One HTTP client per event loop that calls it, so that a streamed answer is read on the thread
 * that asked for it. Why: a Vert.x client pool hands out any idle connection, and a connection
 * lives on the event loop that opened it; a stream asked from another loop then crosses threads
 * twice per chunk it reads (the connection's loop, then the asker's), and under load each crossing
 * waits for the other loop's backlog: that was most of the time to first token the node added.
 * With a client per loop, every pooled connection belongs to its caller's loop (Vert.x opens a
 * connection on the asking loop) and the chunks are handled where they arrive.
 *
 * <p>Callers off any event loop share one client. The event loops of a Vert.x instance are few and
 * fixed, so the clients are too. Thread-safe.
 */
public final class LoopClients {

    private final Supplier<HttpClientAgent> factory;
    private final HttpClientAgent shared;
    private final Map<Thread, HttpClientAgent> byLoop = new ConcurrentHashMap<>();

    public LoopClients(Supplier<HttpClientAgent> factory) {
        this.factory = factory;
        this.shared = factory.get();
    }

    /** The client of the calling event loop (or the shared one off the event loops). */
    public HttpClientAgent current() {
        Context ctx = Vertx.currentContext();
        if (ctx == null || !ctx.isEventLoopContext() || !Context.isOnEventLoopThread()) {
            return shared;
        }
        return byLoop.computeIfAbsent(Thread.currentThread(), t -> factory.get());
    }

    /** The client for calls that do not stream (listings, probes): any connection will do. */
    public HttpClientAgent shared() {
        return shared;
    }

    public Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        all.add(shared.close());
        byLoop.values().forEach(c -> all.add(c.close()));
        return Future.join(all).mapEmpty();
    }
}
