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
 * <p>Appends wait unsigned, in order, while the {@link OwnFeedGate} is closed (the own feed is
 * behind what peers hold, or peers were not heard yet at start). Timestamps follow
 * {@link #nextTimestamp}.
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

    private static final System.Logger LOG = System.getLogger(OwnFeedSigner.class.getName());

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final NodeKeyPair keys;
    private final LongSupplier clock;
    private final WriteLoop writer;
    private final int maxBatch;
    private final OwnFeedGate gate;
    private final long maxAheadMs;
    private FeedHead head;
    private final List<Append> held = new ArrayList<>(); // signer thread only: appends waiting for the gate
    private boolean clockWarned; // signer thread only
    private volatile boolean running = true;

    /** @param maxAheadMs how far ahead of the clock an own timestamp may go (half the ledger's clock skew) */
    OwnFeedSigner(NodeKeyPair keys, FeedHead head, LongSupplier clock, WriteLoop writer, int maxBatch,
                  OwnFeedGate gate, long maxAheadMs) {
        this.gate = gate;
        this.maxAheadMs = maxAheadMs;
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

    /** After a failed commit, or own events ingested from peers: continue from the durable head. */
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
            tasks.clear();
            if (first != null) {
                tasks.add(first);
                queue.drainTo(tasks, maxBatch - 1);
            }
            for (Task t : tasks) {
                if (t instanceof Resync r) {
                    head = r.head();
                } else if (t instanceof Append a) {
                    held.add(a);
                }
            }
            if (held.isEmpty() || !gate.open(head == null ? 0 : head.seq())) {
                continue;
            }
            List<WriteLoop.Signed> signed = new ArrayList<>(held.size());
            for (Append a : held) {
                SignedEvent e = sign(a);
                if (e != null) {
                    signed.add(new WriteLoop.Signed(e, a.result()));
                }
            }
            held.clear();
            if (!signed.isEmpty()) {
                writer.submit(new WriteLoop.OwnEvents(signed));
            }
        }
        held.forEach(a -> a.result().completeExceptionally(new LedgerException("ledger is closed")));
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
        long now = clock.getAsLong();
        long prev = head == null ? 0 : head.timestampMs();
        long ts = nextTimestamp(now, prev, maxAheadMs);
        if (prev > now && !clockWarned) {
            clockWarned = true; // once per run: a clock jump would otherwise log on every event
            LOG.log(System.Logger.Level.WARNING, "the own feed's last timestamp " + prev + " is " + (prev - now)
                    + " ms ahead of this clock (a past clock jump): new events use " + (ts == prev ? "it" : "clock + "
                    + maxAheadMs + " ms, the most peers accept"));
        }
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

    /**
     * The timestamp of the next own event: the clock, but never before the previous own event's
     * (so a clock stepping back does not reorder the feed's times), and never more than
     * {@code maxAheadMs} ahead of the clock: after a forward clock jump was corrected, following
     * the previous timestamp would make every later event CLOCK_AHEAD at peers. Only in that case
     * does a timestamp go backwards; validation does not require increasing timestamps.
     */
    static long nextTimestamp(long now, long prev, long maxAheadMs) {
        if (prev <= now) {
            return now;
        }
        return Math.min(prev, now + maxAheadMs);
    }
}
