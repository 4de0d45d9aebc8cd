package org.council.node.inference;

import io.vertx.core.Future;

/**
 * A remote job in flight: its reply, and {@code cancel} to stop it (safe from any thread, a no-op
 * once the reply is settled). Immutable.
 */
public record RemoteCall(Future<RemoteReply> reply, Runnable cancel) {
}
