package org.council.node.inference;

import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event-loop contexts a server submits its served jobs' backend calls from: one per event loop
 * of the node's Vert.x other than the peer context's, taken in turn. Why: a backend HTTP client
 * reads a stream on the loop that asked for it ({@code LoopClients}), and the peer context's loop
 * already does every session's TLS; with the backend calls there too, one loop carried all of a
 * server's streams while the other idled, and each token waited behind the whole backlog (time to
 * first token of a remote job). With a single event loop there is nowhere else to go: the peer
 * context itself is used.
 *
 * <p>Thread-safe; the contexts are made once, the choice is a counter.
 */
final class BackendContexts {

    private final List<ContextInternal> contexts = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    BackendContexts(ContextInternal peer) {
        // createEventLoopContext takes the event loops in turn: twice round the pool finds each one
        for (int i = 0; i < 16 && contexts.size() < 8; i++) {
            ContextInternal c = peer.owner().createEventLoopContext();
            if (c.nettyEventLoop() != peer.nettyEventLoop()
                    && contexts.stream().noneMatch(o -> o.nettyEventLoop() == c.nettyEventLoop())) {
                contexts.add(c);
            }
        }
        if (contexts.isEmpty()) {
            contexts.add(peer);
        }
    }

    /** The context for the next job's backend call. */
    ContextInternal next() {
        return contexts.get(Math.floorMod(next.getAndIncrement(), contexts.size()));
    }
}
