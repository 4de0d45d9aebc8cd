package org.council.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.council.ledger.store.LedgerStore;

/** Waiting on futures from outside Vert.x: the node's start and stop, which block by contract. */
final class Blocking {

    private static final System.Logger LOG = System.getLogger(Blocking.class.getName());

    private Blocking() {
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
