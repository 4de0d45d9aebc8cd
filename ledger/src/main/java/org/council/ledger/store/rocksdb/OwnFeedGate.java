package org.council.ledger.store.rocksdb;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the own feed may be signed now. Signing on top of a head that is behind what peers hold
 * (a restored backup, a lost data dir with the old key) forks the own feed, and every peer then
 * records this node as an equivocator for ever. So own appends wait while a start-up hold is on
 * (peers not heard yet) or while a peer claimed more of the own feed than the local head holds.
 *
 * <p>A claim that is not made good, i.e. the own feed does not move for {@link #recoveryTimeoutNanos},
 * is dropped with a warning, and later claims are ignored until restart: a peer could otherwise
 * stop this node's appends for ever by lying about the own feed's seq. Residual risk, documented in docs/protocol.md: a peer that holds the
 * real events and withholds them gets the node to fork after the timeout.
 *
 * <p>Thread-safety: {@link #seenAt}, {@link #hold} and {@link #release} from any thread;
 * {@link #open} only on the signer thread.
 */
final class OwnFeedGate {

    static final long DEFAULT_RECOVERY_TIMEOUT_MS = 120_000;
    private static final System.Logger LOG = System.getLogger(OwnFeedGate.class.getName());

    private final LongSupplier nanos;
    private final long recoveryTimeoutNanos;
    private volatile long claimed;
    private volatile long holdUntilNanos;
    private volatile boolean holding;
    private boolean distrusted; // guarded by this
    // Accessed by the signer thread (all below)
    private long lastSeq = -1;
    private long lastProgressNanos;
    private long reported;

    OwnFeedGate(LongSupplier nanos, long recoveryTimeoutMs) {
        this.nanos = nanos;
        this.recoveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(recoveryTimeoutMs);
    }

    synchronized void seenAt(long seq) {
        // after one claim was not made good, later ones are ignored until restart: a peer that lies
        // again on every reconnect would otherwise stall own appends for ever, a timeout at a time
        if (seq > claimed && !distrusted) {
            claimed = seq;
        }
    }

    void hold(long maxWaitMs) {
        holdUntilNanos = nanos.getAsLong() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        holding = true;
    }

    void release() {
        holding = false;
    }

    /** True when the own feed at {@code localSeq} may be signed on. Signer thread only. */
    boolean open(long localSeq) {
        long now = nanos.getAsLong();
        if (localSeq != lastSeq) {
            lastSeq = localSeq;
            lastProgressNanos = now;
        }
        if (holding && now - holdUntilNanos < 0) {
            return false;
        }
        if (holding) {
            holding = false;
            LOG.log(System.Logger.Level.WARNING, "no peer was heard before the start-up wait ended: signing the own"
                    + " feed from the local head " + localSeq + "; if this data dir is an old copy, the feed forks");
        }
        long peer = claimed;
        if (peer <= localSeq) {
            return true;
        }
        if (now - lastProgressNanos > recoveryTimeoutNanos) {
            LOG.log(System.Logger.Level.WARNING, "a peer claimed the own feed up to seq " + peer + " but it did not"
                    + " arrive (local " + localSeq + "): claim dropped, signing from the local head; further claims"
                    + " are ignored until restart");
            synchronized (this) {
                claimed = localSeq;
                distrusted = true;
            }
            return true;
        }
        if (reported != peer) {
            reported = peer;
            LOG.log(System.Logger.Level.WARNING, "the own feed is behind what peers hold (local " + localSeq
                    + ", peer " + peer + "): recovering from peers before signing");
        }
        return false;
    }
}
