package org.council.ledger.store.rocksdb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future the ledger writer completes, which refuses to be waited on from the writer thread.
 *
 * <p>A commit listener, or an action chained synchronously onto a ledger future, runs on the
 * writer thread; if it blocked on a future that only the writer can complete, the writer would
 * wait for itself forever. Such a wait fails fast with an {@link IllegalStateException} instead.
 * Dependent stages ({@code thenApply}, ...) carry the same guard. Thread-safe, as any
 * {@link CompletableFuture}.
 */
final class WriterFuture<T> extends CompletableFuture<T> {

    private final WriteLoop writer;

    WriterFuture(WriteLoop writer) {
        this.writer = writer;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new WriterFuture<>(writer);
    }

    @Override
    public T join() {
        refuseSelfWait();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseSelfWait();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseSelfWait();
        return super.get(timeout, unit);
    }

    private void refuseSelfWait() {
        if (!isDone()) {
            writer.refuseBlockingOnWriter("waiting for a ledger future");
        }
    }
}
