package org.council.node.council;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.council.crypto.NodeId;

/** Shared test helpers: node ids, members, and running a council on a Vert.x context. */
final class CouncilFixtures {

    private CouncilFixtures() {
    }

    static NodeId node(int i) {
        byte[] key = new byte[NodeId.LENGTH];
        Arrays.fill(key, (byte) i);
        key[0] = (byte) 0xc0;
        return NodeId.of(key);
    }

    static Member member(int node, String model, double reputation) {
        return new Member(node(node), model, reputation);
    }

    /**
     * Runs the council on a fresh event-loop context and waits for the result. The wait limit is a
     * safety net against a hung test, not a timing assertion.
     */
    static CouncilResult run(Vertx vertx, CouncilOrchestrator orchestrator, CouncilQuery query,
                             CouncilListener listener) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<CouncilResult> done = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> orchestrator.run(query, listener).onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(ar.result());
            } else {
                done.completeExceptionally(ar.cause());
            }
        }));
        return done.get(10, TimeUnit.SECONDS);
    }
}
