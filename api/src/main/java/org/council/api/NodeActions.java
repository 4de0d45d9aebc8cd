package org.council.api;

import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the API's acting endpoints ask the node to do. Every call behind this port is reached only
 * with the node's bearer token. The node implements it; the API never depends on the node module.
 *
 * <p><b>Thread-safety.</b> Called from Vert.x event-loop threads; implementations must be
 * thread-safe and must not block (they return futures).
 */
public interface NodeActions {

    /**
     * Runs a council query. {@code progress} receives each stage's progress as a JSON object
     * ({@code {"type":"stage_started"|"member_replied"|"member_failed"|"stage_ended", ...}}), in
     * order, on a Vert.x thread; the future completes with the whole result as plain JSON values
     * (the shape of {@code CouncilResult} in {@code docs/api.md}). Fails with
     * {@link IllegalArgumentException} for a bad request and {@link NoCouncilException} when no
     * council can be formed; any other failure is answered as an internal error.
     */
    Future<Map<String, Object>> askCouncil(CouncilAsk ask, Consumer<Map<String, Object>> progress);

    /**
     * Adds a peer to dial ({@code host:port} or {@code <node id hex>@host:port}); it is kept and
     * re-dialled like a seed. Fails with {@link IllegalArgumentException} for a malformed address.
     */
    Future<Void> addPeer(String address);
}
