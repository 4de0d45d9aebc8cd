package org.council.api;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/** Continuing a request's work on its own context. Stateless. */
public final class Contexts {

    private Contexts() {
    }

    /**
     * Runs {@code then} with the outcome of {@code f} on {@code context}: at once if the outcome
     * arrives there (the usual case for a future the node completes at once), else as a task on it.
     * A needless hop would queue the request behind every other task of a busy event loop, which
     * users see as time to first token.
     */
    public static <T> void onContext(Context context, Future<T> f, Handler<AsyncResult<T>> then) {
        f.onComplete(ar -> {
            if (Vertx.currentContext() == context) {
                then.handle(ar);
            } else {
                context.runOnContext(v -> then.handle(ar));
            }
        });
    }
}
