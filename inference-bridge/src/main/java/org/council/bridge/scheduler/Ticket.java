package org.council.bridge.scheduler;

import org.council.bridge.RequesterId;

/**
 * A place in the {@link FairQueue}: who asked, in which lane (model), the scheduling tags, and
 * the caller's payload. Immutable once created; identity matters (used to remove the place).
 *
 * @param <T> the payload type
 */
public final class Ticket<T> {

    private final RequesterId requester;
    private final String lane;
    private final T payload;
    private final long seq;
    private final boolean local;
    private final double start;
    private final double finish;
    private final double key;
    private final long enqueuedNanos;

    Ticket(RequesterId requester, String lane, T payload, long seq, boolean local, double start, double finish,
            double key, long enqueuedNanos) {
        this.requester = requester;
        this.lane = lane;
        this.payload = payload;
        this.seq = seq;
        this.local = local;
        this.start = start;
        this.finish = finish;
        this.key = key;
        this.enqueuedNanos = enqueuedNanos;
    }

    public RequesterId requester() {
        return requester;
    }

    public String lane() {
        return lane;
    }

    public T payload() {
        return payload;
    }

    /** The clock reading when the ticket was queued. */
    public long enqueuedNanos() {
        return enqueuedNanos;
    }

    /** The weighted-fair-queueing virtual finish tag (0 for the node's own user). */
    public double finish() {
        return finish;
    }

    long seq() {
        return seq;
    }

    boolean local() {
        return local;
    }

    double start() {
        return start;
    }

    double key() {
        return key;
    }

    /** Priority order: the node's own user first (FIFO), then lowest key, then arrival order. */
    static int compare(Ticket<?> a, Ticket<?> b) {
        if (a.local != b.local) {
            return a.local ? -1 : 1;
        }
        if (!a.local) {
            int c = Double.compare(a.key, b.key);
            if (c != 0) {
                return c;
            }
        }
        return Long.compare(a.seq, b.seq);
    }
}
