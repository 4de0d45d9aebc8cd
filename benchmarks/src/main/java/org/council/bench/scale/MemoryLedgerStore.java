package org.council.bench.scale;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.Account;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.PendingReceipt;
import org.council.ledger.store.Rejection;

/**
 * A {@link LedgerStore} in memory for the scale simulation: feeds as lists of events, the chain
 * rules of ingest (author, seq = head + 1, prev = head's id) but no signature check and no
 * projections. Own appends are really signed (Ed25519 through {@link EventCodec#sign}). Events
 * are decoded once, where they are signed: a replicated envelope is looked up in the
 * simulation's {@link Registry} by identity (the same bytes travel from store to store), and
 * decoded only if it is not there. Methods the replication, the scope and karma do not use throw.
 * Single-threaded, like the simulation.
 */
final class MemoryLedgerStore implements LedgerStore {

    /**
     * Every event the simulation signed, by its envelope: what a store or the gossip decodes instead.
     * Replication passes the stored bytes themselves (found by identity); the gossip sends copies
     * ({@link SignedEvent#envelope()}), found by content.
     */
    static final class Registry {
        private final Map<byte[], SignedEvent> byEnvelope = new java.util.IdentityHashMap<>();
        private final Map<java.nio.ByteBuffer, SignedEvent> byContent = new HashMap<>();

        void add(SignedEvent e) {
            byEnvelope.put(e.envelopeUnsafe(), e);
            byContent.put(java.nio.ByteBuffer.wrap(e.envelopeUnsafe()), e);
        }

        SignedEvent decode(byte[] envelope) {
            return decodeResult(envelope) instanceof DecodeResult.Decoded d ? d.event() : null;
        }

        /** As the codec decodes, but the event the simulation signed when it has it. */
        DecodeResult decodeResult(byte[] envelope) {
            SignedEvent e = byEnvelope.get(envelope);
            if (e == null) {
                e = byContent.get(java.nio.ByteBuffer.wrap(envelope));
            }
            return e != null ? new DecodeResult.Decoded(e) : EventCodec.decode(envelope);
        }
    }

    private final NodeKeyPair keys;
    private final Registry registry;
    private final LongSupplier clockMs;
    private final Map<NodeId, List<SignedEvent>> feeds = new HashMap<>();
    /** The head of every non-empty feed, kept as events are placed: read for every event sent or pushed. */
    private final Map<NodeId, FeedHead> heads = new HashMap<>();
    private final List<Consumer<List<SignedEvent>>> listeners = new ArrayList<>();
    private long count;

    MemoryLedgerStore(NodeKeyPair keys, Registry registry, LongSupplier clockMs) {
        this.keys = keys;
        this.registry = registry;
        this.clockMs = clockMs;
    }

    @Override
    public NodeId self() {
        return keys.id();
    }

    /** Signs and appends an own event at once (no signer or writer thread in the simulation). */
    @Override
    public CompletableFuture<SignedEvent> append(EventBody body) {
        List<SignedEvent> own = feed(self());
        SignedEvent last = own.isEmpty() ? null : own.get(own.size() - 1);
        long ts = Math.max(clockMs.getAsLong(), last == null ? 0 : last.timestampMs());
        SignedEvent e = EventCodec.sign(keys, own.size() + 1L, last == null ? null : last.id(), ts, body);
        registry.add(e);
        own.add(e);
        heads.put(e.author(), new FeedHead(e.author(), e.seq(), e.id(), e.timestampMs()));
        count++;
        committed(List.of(e));
        return CompletableFuture.completedFuture(e);
    }

    @Override
    public CompletableFuture<List<IngestOutcome>> ingest(List<byte[]> envelopes) {
        throw new UnsupportedOperationException("the simulation ingests per feed");
    }

    @Override
    public CompletableFuture<List<IngestOutcome>> ingestFeed(NodeId expectedAuthor, List<byte[]> envelopes) {
        List<IngestOutcome> outcomes = new ArrayList<>(envelopes.size());
        List<SignedEvent> accepted = new ArrayList<>();
        for (byte[] envelope : envelopes) {
            SignedEvent e = registry.decode(envelope);
            outcomes.add(place(expectedAuthor, e, accepted));
        }
        if (!accepted.isEmpty()) {
            committed(accepted);
        }
        return CompletableFuture.completedFuture(outcomes);
    }

    private IngestOutcome place(NodeId expectedAuthor, SignedEvent e, List<SignedEvent> accepted) {
        if (e == null) {
            return new IngestOutcome.Rejected(Rejection.MALFORMED, "does not decode");
        }
        if (!e.author().equals(expectedAuthor)) {
            return new IngestOutcome.Rejected(Rejection.WRONG_AUTHOR, "not " + expectedAuthor);
        }
        List<SignedEvent> feed = feed(e.author());
        if (e.seq() <= feed.size()) {
            return new IngestOutcome.Rejected(Rejection.DUPLICATE, "seq " + e.seq());
        }
        if (e.seq() > feed.size() + 1) {
            return new IngestOutcome.Rejected(Rejection.SEQ_GAP, "seq " + e.seq() + " after " + feed.size());
        }
        EventId prev = feed.isEmpty() ? null : feed.get(feed.size() - 1).id();
        if (!java.util.Objects.equals(prev, e.prev())) {
            return new IngestOutcome.Rejected(Rejection.PREV_MISMATCH, "seq " + e.seq());
        }
        feed.add(e);
        heads.put(e.author(), new FeedHead(e.author(), e.seq(), e.id(), e.timestampMs()));
        count++;
        accepted.add(e);
        return new IngestOutcome.Accepted(e);
    }

    private void committed(List<SignedEvent> events) {
        for (Consumer<List<SignedEvent>> l : listeners) {
            l.accept(events);
        }
    }

    private List<SignedEvent> feed(NodeId author) {
        return feeds.computeIfAbsent(author, a -> new ArrayList<>());
    }

    /** Whether this store holds {@code e} (the simulation's convergence probe). */
    boolean holds(SignedEvent e) {
        List<SignedEvent> feed = feeds.get(e.author());
        return feed != null && feed.size() >= e.seq();
    }

    int feedCount() {
        return heads.size();
    }

    @Override
    public Optional<FeedHead> head(NodeId author) {
        return Optional.ofNullable(heads.get(author));
    }

    @Override
    public List<FeedHead> heads() {
        return new ArrayList<>(heads.values());
    }

    @Override
    public Optional<SignedEvent> event(NodeId author, long seq) {
        List<SignedEvent> feed = feeds.get(author);
        return feed == null || seq < 1 || seq > feed.size() ? Optional.empty() : Optional.of(feed.get((int) seq - 1));
    }

    @Override
    public Optional<SignedEvent> event(EventId id) {
        throw new UnsupportedOperationException("not used by the simulation");
    }

    @Override
    public Stream<SignedEvent> feed(NodeId author, long fromSeq, int limit) {
        List<SignedEvent> feed = feeds.getOrDefault(author, List.of());
        int from = (int) Math.min(feed.size(), Math.max(0, fromSeq - 1));
        return feed.subList(from, Math.min(feed.size(), from + limit)).stream();
    }

    @Override
    public List<byte[]> feedEnvelopes(NodeId author, long fromSeq, int limit, int maxBytes) {
        List<SignedEvent> feed = feeds.getOrDefault(author, List.of());
        List<byte[]> out = new ArrayList<>();
        int bytes = 0;
        for (int i = (int) Math.max(0, fromSeq - 1); i < feed.size() && out.size() < limit; i++) {
            byte[] envelope = feed.get(i).envelopeUnsafe(); // shared, never written: the registry's key
            if (!out.isEmpty() && bytes + envelope.length > maxBytes) {
                break;
            }
            out.add(envelope);
            bytes += envelope.length;
        }
        return out;
    }

    @Override
    public Stream<SignedEvent> allEvents() {
        return feeds.values().stream().flatMap(List::stream);
    }

    @Override
    public Account account(NodeId id) {
        throw new UnsupportedOperationException("not used by the simulation");
    }

    @Override
    public List<Account> accounts() {
        throw new UnsupportedOperationException("not used by the simulation");
    }

    @Override
    public List<PendingReceipt> unpaid(NodeId server) {
        throw new UnsupportedOperationException("not used by the simulation");
    }

    @Override
    public List<EquivocationProof> equivocations() {
        return List.of();
    }

    @Override
    public boolean isEquivocator(NodeId id) {
        return false;
    }

    @Override
    public long eventCount() {
        return count;
    }

    @Override
    public void onCommitted(Consumer<List<SignedEvent>> listener) {
        listeners.add(listener);
    }

    @Override
    public ReplayReport rebuildProjections() {
        throw new UnsupportedOperationException("no projections in the simulation");
    }

    @Override
    public boolean projectionsMatchReplay() {
        throw new UnsupportedOperationException("no projections in the simulation");
    }

    @Override
    public void close() {
    }
}
