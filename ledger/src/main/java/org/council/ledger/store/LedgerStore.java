package org.council.ledger.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;

/**
 * The node's ledger: its own feed and the feeds it replicates, validated, durable, with
 * projections kept in step.
 *
 * <p><b>Thread-safety.</b> Every method may be called from any thread. Writes (own appends and
 * ingests) go through one writer thread that validates them in order against the feed heads and
 * commits them in groups: one RocksDB write batch, one sync. Reads see committed data only.
 *
 * <p><b>Durability.</b> A returned future completes only after the events it covers are synced
 * to disk together with the projection state and checkpoint that reflect them. Futures complete
 * on the ledger's writer thread: dependent actions must not block (use the {@code *Async}
 * variants, or hop to your own executor / event loop).
 *
 * <p><b>Re-entrancy.</b> A call that waits for the writer ({@link #rebuildProjections},
 * {@link #projectionsMatchReplay}, {@link #close}, or waiting on an unfinished future this store
 * returned) made on the writer thread itself, from a commit listener or an action chained there,
 * would wait forever; it throws {@link IllegalStateException} instead.
 */
public interface LedgerStore extends AutoCloseable {

    /** The node whose feed {@link #append} writes. */
    NodeId self();

    /**
     * Signs {@code body} as the next event of this node's own feed and stores it. Completes
     * exceptionally with {@link LedgerException} when the event could not be made durable.
     */
    CompletableFuture<SignedEvent> append(EventBody body);

    /**
     * Validates and stores events received from others (any authors, each feed in seq order).
     * Signatures are verified on the verifier threads; then the events are applied in the order
     * given. The outcomes list matches {@code envelopes} index by index.
     */
    CompletableFuture<List<IngestOutcome>> ingest(List<byte[]> envelopes);

    /** As {@link #ingest(List)} but every event must be authored by {@code expectedAuthor}. */
    CompletableFuture<List<IngestOutcome>> ingestFeed(NodeId expectedAuthor, List<byte[]> envelopes);

    /**
     * A peer holds this node's own feed up to {@code seq}. While the local head is below the
     * highest such seq, own appends wait (they are not signed) and the ledger logs that it is
     * recovering; events of the own feed that peers send back, validly signed by this node's key
     * and extending the local head, are ingested like any feed's. Signing on top of a head that is
     * behind would fork the own feed and make every peer record this node as an equivocator.
     * A claim not made good (no progress of the own feed) within the recovery timeout is dropped
     * with a warning, so a peer that lies about the own feed cannot stop this node for ever.
     * Thread-safe; no durability effect. Stores without an own feed ignore it.
     */
    default void ownFeedSeenAt(long seq) {
    }

    /**
     * At start, before peers were heard: own appends wait until {@link #releaseOwnAppendHold} or
     * until {@code maxWaitMs} passed (the node cannot know its real head before a peer told it).
     * Thread-safe; stores without an own feed ignore it.
     */
    default void holdOwnAppends(long maxWaitMs) {
    }

    /** Ends the start-up hold of {@link #holdOwnAppends}; claims from peers still gate. Thread-safe. */
    default void releaseOwnAppendHold() {
    }

    Optional<FeedHead> head(NodeId author);

    /** Every feed's head, in author order. */
    List<FeedHead> heads();

    Optional<SignedEvent> event(NodeId author, long seq);

    Optional<SignedEvent> event(EventId id);

    /**
     * The signed envelope of the event with {@code id}, as stored, for readers that render the
     * bytes rather than the decoded event (the audit API). The array is the caller's.
     */
    default Optional<byte[]> envelope(EventId id) {
        return event(id).map(SignedEvent::envelope);
    }

    /**
     * A finite read of one feed from {@code fromSeq} (inclusive), at most {@code limit} events, in
     * seq order. The stream holds a RocksDB iterator: close it (try-with-resources).
     */
    Stream<SignedEvent> feed(NodeId author, long fromSeq, int limit);

    /**
     * The signed envelopes of one feed from {@code fromSeq}, at most {@code limit} events and
     * (after the first) at most {@code maxBytes} bytes, exactly as stored: no decoding, for
     * forwarding to peers.
     */
    List<byte[]> feedEnvelopes(NodeId author, long fromSeq, int limit, int maxBytes);

    /** Every stored event, feed by feed in (author, seq) order; close the stream. */
    Stream<SignedEvent> allEvents();

    Account account(NodeId id);

    /** Accounts that appear in the projections, in id order. */
    List<Account> accounts();

    /**
     * Proposals by {@code server} still waiting for their requester's acknowledgement: the work
     * it did that nobody has paid for, as this node's ledger sees it.
     */
    List<PendingReceipt> unpaid(NodeId server);

    List<EquivocationProof> equivocations();

    boolean isEquivocator(NodeId id);

    /** Number of events stored across all feeds. */
    long eventCount();

    /**
     * Registers a callback for newly committed events (the endless "from now on" stream that
     * replication and incremental projections use). Called on the writer thread after each commit
     * with the events of that commit in order; it must return quickly and never block.
     */
    void onCommitted(Consumer<List<SignedEvent>> listener);

    /**
     * Registers a callback for feeds evicted at the feed cap (their authors), so that read models
     * that follow commits can forget them. Called on the writer thread after the commit that
     * deleted them, before that commit's {@link #onCommitted} listeners; it must return quickly and
     * never block. An evicted feed may be committed again later, from seq 1.
     */
    default void onEvicted(Consumer<List<NodeId>> listener) {
    }

    /**
     * Feeds the caller needs held whatever the feed cap (the peers it is connected to): never
     * evicted while {@code keep} says so. Read on the writer thread: it must be thread-safe, quick
     * and never block. Replaces any earlier predicate.
     */
    default void keepFeeds(java.util.function.Predicate<NodeId> keep) {
    }

    /**
     * Whether {@code author}'s feed was evicted at the feed cap lately (a bounded memory of the
     * latest evictions): a peer that saw this node hold it may still push its next events, which
     * then no longer follow anything held. Any thread.
     */
    default boolean recentlyEvicted(NodeId author) {
        return false;
    }

    /**
     * Rebuilds every projection from the log, replaces the stored projection state with the
     * result in one batch, and reports what it did.
     *
     * @throws IllegalStateException when called on the writer thread (it would deadlock)
     */
    ReplayReport rebuildProjections();

    /**
     * Replays the log into memory and compares the result with the stored projection state
     * byte for byte, without changing anything.
     *
     * @throws IllegalStateException when called on the writer thread (it would deadlock)
     */
    boolean projectionsMatchReplay();

    @Override
    void close();

    /** What a rebuild did. */
    record ReplayReport(long events, long projectionEntries, long nanos) {
    }
}
