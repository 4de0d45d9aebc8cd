package org.council.ledger.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.council.crypto.NodeId;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;

/**
 * The one chain rule, used by the store's recovery check on open, the full audit
 * ({@link LedgerAudit}) and the CLI's check of exported or served events: per author, seqs run
 * on without a gap, each prev is the id of the event before, every signature verifies under its
 * author's key, and a feed's head names its last event.
 *
 * <p>Feed events to {@link #link} in feed order (feeds may interleave). Signatures are checked
 * separately by {@link #signatureProblem}, so callers can check them on all cores.
 *
 * <p>Thread-safety: {@link #signatureProblem} may be called from any thread; the link state is
 * not thread-safe (one reader).
 */
public final class ChainVerifier {

    /** A problem found at one event of one feed. */
    public record Problem(NodeId author, long seq, String detail) {

        /** As the audit reports print it: {@code feed <author> seq <n>: <detail>}. */
        public String describe() {
            return "feed " + author.hex() + " seq " + seq + ": " + detail;
        }
    }

    /** The last event linked in a feed; {@code id} null when that event could not be read. */
    public record Tail(long seq, EventId id) {
    }

    private final SignatureVerifier verifier = new SignatureVerifier();
    private final Map<NodeId, Tail> tails = new HashMap<>();

    /**
     * Starts {@code author}'s feed after {@code seq} (0: from the start), whose event has
     * {@code id} (null: not checked), to verify a feed's tail only.
     */
    public void resumeAfter(NodeId author, long seq, EventId id) {
        tails.put(author, new Tail(seq, id));
    }

    /** Links {@code e} to its feed: the seq or prev problem, or null when it chains. */
    public Problem link(SignedEvent e) {
        Tail tail = tails.put(e.author(), new Tail(e.seq(), e.id()));
        long expectedSeq = tail == null ? 1 : tail.seq() + 1;
        if (e.seq() != expectedSeq) {
            return new Problem(e.author(), e.seq(), "expected seq " + expectedSeq);
        }
        boolean prevKnown = tail == null || tail.id() != null;
        EventId expectedPrev = tail == null ? null : tail.id();
        if (prevKnown && !Objects.equals(e.prev(), expectedPrev)) {
            return new Problem(e.author(), e.seq(), "prev is not the id of the previous event");
        }
        return null;
    }

    /**
     * Records that the next event of {@code author} could not be read: its seq is counted, its id
     * is unknown, so the following event's prev is not checked. Returns the seq it took.
     */
    public long skip(NodeId author) {
        Tail tail = tails.get(author);
        long seq = tail == null ? 1 : tail.seq() + 1;
        tails.put(author, new Tail(seq, null));
        return seq;
    }

    /** The signature problem of {@code e}, or null when it verifies. Thread-safe. */
    public Problem signatureProblem(SignedEvent e) {
        return EventCodec.signatureValid(verifier, e) ? null
                : new Problem(e.author(), e.seq(), "signature does not verify");
    }

    /** True when {@code head} names the last event linked in its feed. */
    public boolean headMatches(FeedHead head) {
        Tail tail = tails.get(head.author());
        return tail != null && tail.seq() == head.seq() && head.id().equals(tail.id());
    }

    /** The last event linked (or skipped) in {@code author}'s feed, or null. */
    public Tail tail(NodeId author) {
        return tails.get(author);
    }

    /** Every feed seen so far and its tail. */
    public Map<NodeId, Tail> tails() {
        return Map.copyOf(tails);
    }
}
