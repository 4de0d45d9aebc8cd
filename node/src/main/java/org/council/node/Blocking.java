package org.council.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.council.ledger.store.LedgerStore;

/** Outside Vert.x: waiting on futures (the node's start and stop, which block by contract), plain threads. */
final class Blocking {

    private static final System.Logger LOG = System.getLogger(Blocking.class.getName());

    private Blocking() {
    }

    /** A daemon thread named {@code name}: the node's own executors never keep the JVM alive. */
    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static void closeQuietly(Vertx vertx, LedgerStore store) {
        try {
            await(vertx.close(), "stop networking");
        } catch (NodeException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        } finally {
            store.close();
        }
    }

    static <T> T await(Future<T> f, String what) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NodeException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new NodeException("could not " + what + " within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted while trying to " + what, e);
        }
    }
}
