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
import org.council.ledger.scope.Scope;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.node.wire.WireMessage;

/**
 * Replication over one session: anti-entropy over per-feed clocks, then live push.
 *
 * <p>Each side sends the newest seq it holds per feed ({@code Clocks}); each then sends the other,
 * per feed, the events after the other's seq, in order, in bounded batches, honouring the
 * socket's write queue, starting feeds the peer lacks no faster than it accepts new feeds
 * ({@link NewFeedPacing}); new events committed later are pushed the same way. Received batches go
 * through the ledger's full validation (signatures verified on the ledger's verifier threads); at
 * most {@link #MAX_INGESTS_IN_FLIGHT} batches per peer are in flight, beyond that the socket is
 * paused. What a peer may cost is budgeted ({@link ReplicationBudgets}). A peer's own feed is
 * served back to it when it holds less of it (a restored data dir); its entry for our own feed
 * gates our appends ({@link LedgerStore#ownFeedSeenAt}). Scope: ours ({@link LocalScope}) asks,
 * the peer's ({@link PeerScope}) filters what we send. Context-confined, asserted.
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
    private final NewFeedPacing pacing;
    private final Consumer<List<IngestOutcome>> outcomeListener;
    private final LocalScope ours;
    private final ServeTurns.Turn turn;
    // Accessed by context thread (all below)
    private final PeerScope theirs;
    private final Map<NodeId, Long> peerHas = new HashMap<>();
    private final Map<NodeId, Long> sentUpTo = new HashMap<>();
    private final LinkedHashSet<NodeId> dirty = new LinkedHashSet<>();
    private boolean clocksReceived;
    private boolean clocksSent;
    private boolean pumping;
    private int ingestsInFlight;

    FeedSync(SessionChannel session, LedgerStore store, PeerConfig config, LocalScope ours, ServeTurns turns,
             Consumer<List<IngestOutcome>> outcomeListener) {
        this.session = session;
        this.turn = turns.turnFor(session.remoteHost(), sentUpTo, this::pump);
        this.ours = ours;
        this.theirs = new PeerScope(session.remote(), config.limits().maxClockEntries());
        this.store = store;
        this.outcomeListener = outcomeListener;
        this.duplicates = new TokenBucket(config.duplicateBudget(), config.duplicateRefillPerSecond(), System::nanoTime);
        this.budgets = new ReplicationBudgets(config.limits(), System::nanoTime, turns.budgets(session.remoteHost(), config.limits()));
        this.pacing = new NewFeedPacing(config.limits(), session.context(), System::nanoTime, again -> {
            dirty.addAll(again); // the peer's new-feed budget has room again
            pump();
        });
    }

    /** What the peer holds per feed, by its clocks and what it sent since; empty until its clocks ended. */
    Map<NodeId, Long> peerHolds() {
        return clocksReceived ? java.util.Collections.unmodifiableMap(peerHas) : Map.of();
    }

    /** The feeds the peer asked for ({@link ScopeDials} reads which it replicates). */
    PeerScope peerScope() {
        return theirs;
    }

    /** Sends our clocks. */
    void start() {
        assert ContextCheck.inThread(session.context());
        sendClocks(ours.clocks(store, session.remote()), 0);
    }

    /** The session closed: what its peer holds still counts for its address's other sessions ({@link HostRepeats}). */
    void closed() {
        turn.close();
    }

    /** Our scope changed: ask the peer for what joined it and tell it what left. */
    void onScopeChanged(Scope.Change change) {
        assert ContextCheck.inThread(session.context());
        LocalScope.requests(change, store).forEach(session::send); // a closed session sends nothing
    }

    /** Our clocks, a frame at a time while the write queue has room: thousands of feeds are megabytes; none, one frame. */
    private void sendClocks(List<WireMessage.FeedClock> heads, int from) {
        for (int i = from; i < Math.max(1, heads.size()); i += CLOCKS_PER_FRAME) {
            if (session.isClosed()) {
                return;
            }
            if (session.writeQueueFull()) {
                int next = i;
                session.onDrain(() -> sendClocks(heads, next));
                return;
            }
            List<WireMessage.FeedClock> part = List.copyOf(heads.subList(i, Math.min(heads.size(), i + CLOCKS_PER_FRAME)));
            session.send(new WireMessage.Clocks(part, i + CLOCKS_PER_FRAME >= heads.size(), ours.scoped()));
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
        theirs.declared(c);
        for (WireMessage.FeedClock fc : c.feeds()) {
            peerHas.merge(fc.author(), fc.seq(), Math::max);
        }
        if (!c.last()) {
            return;
        }
        clocksReceived = true;
        // we sign nothing while behind the peer's copy of our own feed (a restored data dir would fork it)
        store.ownFeedSeenAt(peerHas.getOrDefault(store.self(), 0L));
        store.releaseOwnAppendHold();
        // longest feeds first: the peer's new-feed budget goes to the most work, a flood of short feeds waits
        for (FeedHead h : store.heads().stream().sorted(java.util.Comparator.comparingLong(FeedHead::seq).reversed()).toList()) {
            long has = peerHas.getOrDefault(h.author(), 0L); // the peer's own feed too, when it holds less of it
            if (Math.min(h.seq(), theirs.limit(h.author())) > has) {
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
            if (has < e.seq() && !e.author().equals(session.remote()) && e.seq() <= theirs.limit(e.author())) {
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
        String flood = theirs.requested(r);
        if (flood != null) {
            session.misbehave(WireMessage.Reason.FLOODING, flood, true);
            return;
        }
        if (r.drop()) {
            dirty.remove(r.author()); // a batch already read still goes out; nothing after it
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
            long last = Math.min(head.map(FeedHead::seq).orElse(0L), theirs.limit(author));
            if (last < from || (from == 1 && !pacing.mayStart(author))) {
                dirty.remove(author); // done, or a new feed for the peer parked until its budget has room
                continue;
            }
            if (turn.mustWait(author, from, session.context())) { // its address on probation, or out of repeats: asked again each second
                return;
            }
            if (!turn.take()) {
                return; // other sessions from the peer's address are being read for: pumped again in turn
            }
            pumping = true;
            int most = (int) Math.min(MAX_BATCH_EVENTS, last - from + 1);
            session.context().<List<byte[]>>executeBlocking(
                            () -> store.feedEnvelopes(author, from, most, MAX_BATCH_BYTES), false)
                    .onComplete(ar -> {
                        pumping = false;
                        turn.release(author, from, ar.succeeded() ? ar.result().size() : 0);
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
        if (!ours.accepts(batch.author())) {
            return; // left our scope while this batch was on its way (or the peer ignores scope): not stored
        }
        String flood = budgets.newFeed(batch.author(), store.head(batch.author()).isEmpty());
        if (flood != null) {
            if (flood != ReplicationBudgets.HOST_OVER) {
                session.misbehave(WireMessage.Reason.FLOODING, flood, true);
            }
            return; // nothing of it is ingested
        }
        if (++ingestsInFlight >= MAX_INGESTS_IN_FLIGHT || budgets.unpaidSpent()) {
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
        IngestTally tally = IngestTally.of(outcomes, () -> store.recentlyEvicted(batch.author()));
        if (tally.fault() != null) {
            session.misbehave(tally.fault(), tally.detail(), true);
            return;
        }
        for (IngestOutcome o : outcomes) {
            if (o instanceof IngestOutcome.Accepted a) {
                peerHas.merge(a.event().author(), a.event().seq(), Math::max);
            }
        }
        String flood = budgets.unpaid(tally.unpaid());
        if (flood != null) {
            session.misbehave(WireMessage.Reason.FLOODING, flood, true);
            return;
        }
        if (tally.duplicates() > 0 && !duplicates.take(tally.duplicates())) {
            session.misbehave(WireMessage.Reason.FLOODING, "too many events this node already had", true);
            return;
        }
        if (ingestsInFlight < MAX_INGESTS_IN_FLIGHT && (ingestsInFlight == 0 || !budgets.unpaidSpent())) {
            session.resumeInput();
        }
    }
}
