package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/**
 * The check behind {@code // Accessed by context thread}: state so marked is touched only on its
 * Vert.x event-loop context, and each entry point asserts it, as Vert.x does internally
 * ({@code assert context.inThread()}). Assertions are on in tests (surefire and failsafe enable
 * them) and free in production.
 */
final class ContextCheck {

    private ContextCheck() {
    }

    /** True when the calling thread is {@code context}'s thread; use as {@code assert ContextCheck.inThread(ctx)}. */
    static boolean inThread(Context context) {
        if (context instanceof ContextInternal c && c.inThread()) {
            return true;
        }
        throw new AssertionError("confined to " + context + " but called on " + Thread.currentThread().getName());
    }
}
