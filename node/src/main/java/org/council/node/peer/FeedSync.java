package org.council.node.peer;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.node.wire.WireMessage;

/**
 * Replication over one session: anti-entropy over per-feed clocks, then live push.
 *
 * <p>Each side sends the newest seq it holds per feed ({@code Clocks}); each then sends the other,
 * per feed, the events after the other's seq, in order, in bounded batches, honouring the
 * socket's write queue; new events committed later are pushed the same way. Received batches go
 * through the ledger's full validation (signatures verified on the ledger's verifier threads); at
 * most {@link #MAX_INGESTS_IN_FLIGHT} batches per peer are in flight, beyond that the socket is
 * paused, so per-peer memory is bounded. Our own clocks are sent as the write queue drains, like
 * events. What a peer may cost is budgeted ({@link ReplicationBudgets}): clocks entries, new feeds,
 * and signature checks that end in nothing. A peer's own feed is served back to it when it holds
 * less of it than we do (a restored data dir), and the peer's entry for our own feed gates our own
 * appends ({@link LedgerStore#ownFeedSeenAt}). Confined to the session's context: not thread-safe;
 * the entry points assert it.
 */
final class FeedSync {

    static final int MAX_BATCH_EVENTS = 1024;
    static final int MAX_BATCH_BYTES = 512 * 1024;
    static final int MAX_INGESTS_IN_FLIGHT = 8;
    private static final int CLOCKS_PER_FRAME = 8_192;

    private final SessionChannel session;
    private final LedgerStore store;
    private final TokenBucket duplicates;
    private final ReplicationBudgets budgets;
    private final Consumer<List<IngestOutcome>> outcomeListener;
    // Accessed by context thread (all below)
    private final Map<NodeId, Long> peerHas = new HashMap<>();
    private final Map<NodeId, Long> sentUpTo = new HashMap<>();
    private final LinkedHashSet<NodeId> dirty = new LinkedHashSet<>();
    private boolean clocksReceived;
    private boolean clocksSent;
    private boolean pumping;
    private int ingestsInFlight;

    FeedSync(SessionChannel session, LedgerStore store, PeerConfig config, Consumer<List<IngestOutcome>> outcomeListener) {
        this.session = session;
        this.store = store;
        this.outcomeListener = outcomeListener;
        this.duplicates = new TokenBucket(config.duplicateBudget(), config.duplicateRefillPerSecond(), System::nanoTime);
        this.budgets = new ReplicationBudgets(config.limits(), System::nanoTime);
    }

    /** Sends our clocks. */
    void start() {
        assert ContextCheck.inThread(session.context());
        List<FeedHead> heads = store.heads();
        if (heads.isEmpty()) {
            session.send(new WireMessage.Clocks(List.of(), true));
            clocksSent = true;
            return;
        }
        sendClocks(heads, 0);
    }

    /** Our clocks, a frame at a time while the write queue has room: thousands of feeds are megabytes. */
    private void sendClocks(List<FeedHead> heads, int from) {
        for (int i = from; i < heads.size(); i += CLOCKS_PER_FRAME) {
            if (session.isClosed()) {
                return;
            }
            if (session.writeQueueFull()) {
                int next = i;
                session.onDrain(() -> sendClocks(heads, next));
                return;
            }
            List<WireMessage.FeedClock> part = heads.subList(i, Math.min(heads.size(), i + CLOCKS_PER_FRAME))
                    .stream().map(h -> new WireMessage.FeedClock(h.author(), h.seq())).toList();
            session.send(new WireMessage.Clocks(part, i + CLOCKS_PER_FRAME >= heads.size()));
        }
        clocksSent = true;
        pump(); // events wait for our last clocks frame: the peer takes events before it as a violation
    }

    void onClocks(WireMessage.Clocks c) {
        assert ContextCheck.inThread(session.context());
        if (clocksReceived) {
            session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "clocks sent twice", true);
            return;
        }
        String flood = budgets.clockEntries(c.feeds().size());
        if (flood != null) {
            session.misbehave(WireMessage.Reason.FLOODING, flood, true);
            return;
        }
        for (WireMessage.FeedClock fc : c.feeds()) {
            peerHas.merge(fc.author(), fc.seq(), Math::max);
        }
        if (!c.last()) {
            return;
        }
        clocksReceived = true;
        // What the peer holds of our own feed: we sign nothing while behind it (a restored data dir
        // would fork the feed); the peer sends it back below, like any feed it holds more of.
        store.ownFeedSeenAt(peerHas.getOrDefault(store.self(), 0L));
        store.releaseOwnAppendHold();
        for (FeedHead h : store.heads()) {
            long has = peerHas.getOrDefault(h.author(), 0L);
            // the peer's own feed too, when it holds less than we do: it recovers its history from us
            if (h.seq() > has) {
                sentUpTo.put(h.author(), has);
                dirty.add(h.author());
            }
        }
        pump();
    }

    /** Events just committed to our store (from us or any peer): push what this peer lacks. */
    void onCommitted(List<SignedEvent> events) {
        assert ContextCheck.inThread(session.context());
        if (!clocksReceived || session.isClosed()) {
            return;
        }
        for (SignedEvent e : events) {
            long has = peerHas.getOrDefault(e.author(), 0L);
            // the peer wrote its own feed: a live push never echoes it back (only clocks catch it up)
            if (has < e.seq() && !e.author().equals(session.remote())) {
                sentUpTo.merge(e.author(), has, Math::max);
                dirty.add(e.author());
            }
        }
        pump();
    }

    void onRangeRequest(WireMessage.RangeRequest r) {
        assert ContextCheck.inThread(session.context());
        if (r.fromSeq() < 1) {
            session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "range request from seq " + r.fromSeq(), true);
            return;
        }
        peerHas.put(r.author(), r.fromSeq() - 1);
        sentUpTo.put(r.author(), Math.min(sentUpTo.getOrDefault(r.author(), Long.MAX_VALUE), r.fromSeq() - 1));
        dirty.add(r.author());
        pump();
    }

    /** Sends the next batch of a feed the peer lacks, one read at a time, while the socket drains. */
    private void pump() {
        if (pumping || !clocksSent || session.isClosed()) {
            return;
        }
        if (session.writeQueueFull()) {
            session.onDrain(this::pump);
            return;
        }
        while (!dirty.isEmpty()) {
            NodeId author = dirty.iterator().next();
            long from = sentUpTo.getOrDefault(author, 0L) + 1;
            Optional<FeedHead> head = store.head(author);
            if (head.isEmpty() || head.get().seq() < from) {
                dirty.remove(author);
                continue;
            }
            pumping = true;
            session.context().<List<byte[]>>executeBlocking(() -> readBatch(author, from), false)
                    .onComplete(ar -> {
                        pumping = false;
                        if (ar.failed()) {
                            session.goodbye(WireMessage.Reason.UNSPECIFIED, "local read failed: " + ar.cause().getMessage());
                            return;
                        }
                        List<byte[]> batch = ar.result();
                        if (!batch.isEmpty()) {
                            session.send(new WireMessage.EventBatch(author, batch));
                            sentUpTo.put(author, from + batch.size() - 1);
                        } else {
                            dirty.remove(author);
                        }
                        pump();
                    });
            return;
        }
    }

    private List<byte[]> readBatch(NodeId author, long from) {
        return store.feedEnvelopes(author, from, MAX_BATCH_EVENTS, MAX_BATCH_BYTES);
    }

    void onEvents(WireMessage.EventBatch batch) {
        assert ContextCheck.inThread(session.context());
        if (!clocksReceived) {
            session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "events before clocks", true);
            return;
        }
        if (batch.events().isEmpty() || batch.events().size() > 4 * MAX_BATCH_EVENTS) {
            session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "event batch of " + batch.events().size(), true);
            return;
        }
        String flood = budgets.newFeed(batch.author(), store.head(batch.author()).isEmpty());
        if (flood != null) {
            session.misbehave(WireMessage.Reason.FLOODING, flood, true);
            return; // nothing of it is ingested
        }
        if (++ingestsInFlight >= MAX_INGESTS_IN_FLIGHT) {
            session.pauseInput();
        }
        store.ingestFeed(batch.author(), batch.events()).whenComplete((outcomes, err) ->
                session.context().runOnContext(v -> afterIngest(batch, outcomes, err)));
    }

    private void afterIngest(WireMessage.EventBatch batch, List<IngestOutcome> outcomes, Throwable err) {
        ingestsInFlight--;
        budgets.ingested(batch.author());
        if (err == null) {
            outcomeListener.accept(outcomes); // what the ledger did stands even if the peer has gone
        }
        if (session.isClosed()) {
            return;
        }
        if (err != null) {
            session.goodbye(WireMessage.Reason.UNSPECIFIED, "local ledger failure: " + err.getMessage());
            return;
        }
        int dups = 0;
        int unpaid = 0;
        for (IngestOutcome o : outcomes) {
            if (o instanceof IngestOutcome.Rejected r) {
                switch (r.reason()) {
                    case DUPLICATE -> dups++;
                    // a fork relayed in good faith, or the author's clock: not this peer's fault, but its
                    // signature was checked for nothing, and a replay would cost that again: budgeted
                    case PREV_MISMATCH, CLOCK_AHEAD -> unpaid++;
                    case FEED_LIMIT -> {
                        // this node holds as many feeds as it will: refused before any signature check
                    }
                    case SEQ_GAP -> {
                        if (store.head(batch.author()).isEmpty()) {
                            unpaid++; // a feed evicted at the cap: the peer, told we held it, could not know
                            continue;
                        }
                        session.misbehave(WireMessage.Reason.PROTOCOL_VIOLATION, "sent a feed out of order: " + r, true);
                        return;
                    }
                    case BAD_SIGNATURE, WRONG_AUTHOR, MALFORMED, OVERSIZE -> {
                        session.misbehave(WireMessage.Reason.INVALID_EVENT, r.toString(), true);
                        return;
                    }
                }
            } else if (o instanceof IngestOutcome.Accepted a) {
                peerHas.merge(a.event().author(), a.event().seq(), Math::max);
            } else if (o instanceof IngestOutcome.ForkDetected) {
                unpaid++; // the first proof per author is published; every further fork is checked for nothing
            }
        }
        String flood = budgets.unpaid(unpaid);
        if (flood != null) {
            session.misbehave(WireMessage.Reason.FLOODING, flood, true);
            return;
        }
        if (dups > 0 && !duplicates.take(dups)) {
            session.misbehave(WireMessage.Reason.FLOODING, "too many events this node already had", true);
            return;
        }
        if (ingestsInFlight < MAX_INGESTS_IN_FLIGHT) {
            session.resumeInput();
        }
    }
}
