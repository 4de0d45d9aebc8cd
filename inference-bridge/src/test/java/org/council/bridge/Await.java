package org.council.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Test helpers that wait (bounded) for futures from the test thread, never from an event loop. */
public final class Await {

    private static final long SECONDS = 10;

    private Await() {
    }

    public static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete in " + SECONDS + " s", e);
        }
    }

    public static BridgeException failure(Future<?> future) {
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(BridgeException.class);
            return (BridgeException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete in " + SECONDS + " s", e);
        }
    }

    /** Polls a condition that another thread makes true (bounded; for counters set by servers). */
    public static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in " + SECONDS + " s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
