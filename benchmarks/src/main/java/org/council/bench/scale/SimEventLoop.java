package org.council.bench.scale;

import io.netty.channel.AbstractEventLoop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SucceededFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A Netty event loop whose "thread" is the simulation's thread and whose clock is simulated time:
 * {@code execute} queues a task at the current simulated instant, {@code schedule} at a later one.
 * A Vert.x context built on it ({@link SimContext}) runs {@code runOnContext}, future callbacks and
 * timers ({@code vertx.setTimer} from within it) in simulated time, deterministically, and its
 * {@code inThread()} is true on the simulation's thread, so the node's confinement assertions hold
 * as they are.
 */
final class SimEventLoop extends AbstractEventLoop {

    private final SimLoop loop;
    private final Thread thread;

    SimEventLoop(SimLoop loop, Thread thread) {
        this.loop = loop;
        this.thread = thread;
    }

    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("the simulation is single-threaded; called from " + Thread.currentThread());
        }
        loop.at(loop.nowMs(), task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        SimScheduled<Void> f = new SimScheduled<>(this, loop.nowMs() + unit.toMillis(delay));
        loop.at(f.atMs, () -> {
            if (!f.isCancelled()) {
                command.run();
                f.setSuccess(null);
            }
        });
        return f;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the simulation");
    }

    @Override
    public boolean inEventLoop(Thread t) {
        return t == thread;
    }

    @Override
    public ChannelFuture register(Channel channel) {
        throw new UnsupportedOperationException("no channels in the simulation");
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        throw new UnsupportedOperationException("no channels in the simulation");
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        throw new UnsupportedOperationException("no channels in the simulation");
    }

    @Override
    public boolean isShuttingDown() {
        return false;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return terminationFuture();
    }

    @Override
    public Future<?> terminationFuture() {
        return new SucceededFuture<>(this, null);
    }

    @Override
    @Deprecated
    public void shutdown() {
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

    /** A timer in simulated time; cancelling it makes its task a no-op. */
    private static final class SimScheduled<V> extends io.netty.util.concurrent.DefaultPromise<V>
            implements ScheduledFuture<V> {
        private final long atMs;
        private final SimEventLoop owner;

        SimScheduled(SimEventLoop owner, long atMs) {
            super(owner);
            this.owner = owner;
            this.atMs = atMs;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atMs - owner.loop.nowMs(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        protected void checkDeadLock() {
            // the simulation never waits on its own timers
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            throw new UnsupportedOperationException("never block in the simulation");
        }
    }
}
