package org.council.node.council;

import io.vertx.core.Future;
import java.util.Objects;

/**
 * A council in flight: its result, and {@code cancel} to stop it (safe from any thread, idempotent).
 * Cancelling cancels the members' running calls, starts no further stage and fails the result with
 * a {@link java.util.concurrent.CancellationException}, so an unfinished council is never rated.
 * Immutable.
 */
public record CouncilHandle(Future<CouncilResult> result, Runnable cancel) {

    public CouncilHandle {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(cancel, "cancel");
    }
}
