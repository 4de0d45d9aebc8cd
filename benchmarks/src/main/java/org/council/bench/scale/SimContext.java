package org.council.bench.scale;

import io.vertx.core.Context;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.WorkerPool;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one Vert.x context every simulated node's protocols are confined to, driven by simulated
 * time: an event-loop context on a {@link SimEventLoop}, whose worker pool (the node's
 * {@code executeBlocking} reads of the store, the gossip's signature checks) also queues its work
 * at the current simulated instant. Everything runs on the thread that runs the {@link SimLoop}.
 */
final class SimContext implements AutoCloseable {

    private final Vertx vertx;
    private final ContextInternal context;
    private final SimLoop loop;

    SimContext(SimLoop loop) {
        this.loop = loop;
        this.vertx = Vertx.vertx();
        SimEventLoop eventLoop = new SimEventLoop(loop, Thread.currentThread());
        this.context = ((VertxInternal) vertx).contextBuilder()
                .withThreadingModel(ThreadingModel.EVENT_LOOP)
                .withEventLoop(eventLoop)
                .withWorkerPool(new WorkerPool(new SimExecutor(loop), null))
                .build();
    }

    Context context() {
        return context;
    }

    /** Runs {@code task} at {@code atMs} as a task of the context (so timers it sets are simulated too). */
    void at(long atMs, Runnable task) {
        loop.at(atMs, () -> context.dispatch(task));
    }

    void after(long delayMs, Runnable task) {
        at(loop.nowMs() + delayMs, task);
    }

    @Override
    public void close() {
        vertx.close();
    }

    /** "Blocking" work runs on the simulation's thread at the current instant, after what is already due. */
    private static final class SimExecutor extends AbstractExecutorService {
        private final SimLoop loop;

        SimExecutor(SimLoop loop) {
            this.loop = loop;
        }

        @Override
        public void execute(Runnable command) {
            loop.at(loop.nowMs(), command);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
