package org.council.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each calling event loop gets a client of its own; other callers share one. */
class LoopClientsTest {

    private Vertx vertx;
    private final AtomicInteger created = new AtomicInteger();
    private LoopClients clients;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        clients = new LoopClients(() -> {
            created.incrementAndGet();
            return vertx.createHttpClient();
        });
    }

    @AfterEach
    void stop() throws Exception {
        clients.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void aLoopKeepsItsClientAndAnotherLoopGetsAnother() throws Exception {
        Context a = ((VertxInternal) vertx).createEventLoopContext();
        Context b = ((VertxInternal) vertx).createEventLoopContext(); // new contexts go round the two loops
        assertThat(threadOf(a)).isNotEqualTo(threadOf(b));

        HttpClientAgent a1 = on(a);
        HttpClientAgent a2 = on(a);
        HttpClientAgent b1 = on(b);

        assertThat(a1).isSameAs(a2);
        assertThat(b1).isNotSameAs(a1);
        assertThat(a1).isNotSameAs(clients.shared());
        assertThat(created.get()).isEqualTo(3); // the shared one and one per loop
    }

    @Test
    void offTheLoopsTheSharedClientServes() {
        assertThat(clients.current()).isSameAs(clients.shared());
        assertThat(created.get()).isEqualTo(1);
    }

    private HttpClientAgent on(Context ctx) throws Exception {
        CompletableFuture<HttpClientAgent> f = new CompletableFuture<>();
        ctx.runOnContext(v -> f.complete(clients.current()));
        return f.get(30, TimeUnit.SECONDS);
    }

    private static Thread threadOf(Context ctx) throws Exception {
        CompletableFuture<Thread> f = new CompletableFuture<>();
        ctx.runOnContext(v -> f.complete(Thread.currentThread()));
        return f.get(30, TimeUnit.SECONDS);
    }
}
