package org.council.ledger.store.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerException;
import org.council.ledger.store.LedgerRejectedException;
import org.council.ledger.store.Rejection;

/**
 * The first stage of an own append, on its own thread: assigns seq, prev and timestamp from the
 * own feed's newest signed event, signs, and hands the event to the {@link WriteLoop}, which
 * validates and persists it like any other event. Signing is inherently serial (each event
 * holds the previous one's id), so it gets a core to itself while the writer persists the
 * previous group on the other.
 *
 * <p>A signed event leaves the process only after the writer made it durable. If a commit fails,
 * the writer calls {@link #resync} and events signed on top of the lost ones fail their placement.
 */
final class OwnFeedSigner implements Runnable {

    private sealed interface Task {
    }

    private record Append(EventBody body, CompletableFuture<SignedEvent> result) implements Task {
    }

    private record Resync(FeedHead head) implements Task {
    }

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final NodeKeyPair keys;
    private final LongSupplier clock;
    private final WriteLoop writer;
    private final int maxBatch;
    private FeedHead head;
    private volatile boolean running = true;

    OwnFeedSigner(NodeKeyPair keys, FeedHead head, LongSupplier clock, WriteLoop writer, int maxBatch) {
        this.keys = keys;
        this.head = head;
        this.clock = clock;
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    void submit(EventBody body, CompletableFuture<SignedEvent> result) {
        if (!running) {
            result.completeExceptionally(new LedgerException("ledger is closed"));
            return;
        }
        queue.add(new Append(body, result));
    }

    /** After a failed commit: continue from the last durable head. */
    void resync(FeedHead durableHead) {
        queue.add(new Resync(durableHead));
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Task> tasks = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            Task first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                continue;
            }
            tasks.clear();
            tasks.add(first);
            queue.drainTo(tasks, maxBatch - 1);
            List<WriteLoop.Signed> signed = new ArrayList<>(tasks.size());
            for (Task t : tasks) {
                if (t instanceof Resync r) {
                    head = r.head();
                } else if (t instanceof Append a) {
                    SignedEvent e = sign(a);
                    if (e != null) {
                        signed.add(new WriteLoop.Signed(e, a.result()));
                    }
                }
            }
            if (!signed.isEmpty()) {
                writer.submit(new WriteLoop.OwnEvents(signed));
            }
        }
        Task left;
        while ((left = queue.poll()) != null) {
            if (left instanceof Append a) {
                a.result().completeExceptionally(new LedgerException("ledger is closed"));
            }
        }
    }

    private SignedEvent sign(Append a) {
        String problem = EventCodec.authorBodyProblem(keys.id(), a.body());
        if (problem != null) {
            a.result().completeExceptionally(new LedgerRejectedException(Rejection.MALFORMED, problem));
            return null;
        }
        long seq = head == null ? 1 : head.seq() + 1;
        long ts = Math.max(clock.getAsLong(), head == null ? 0 : head.timestampMs());
        SignedEvent e;
        try {
            e = EventCodec.sign(keys, seq, head == null ? null : head.id(), ts, a.body());
        } catch (RuntimeException ex) {
            a.result().completeExceptionally(new LedgerRejectedException(Rejection.MALFORMED, ex.getMessage()));
            return null;
        }
        head = new FeedHead(keys.id(), seq, e.id(), ts);
        return e;
    }
}
