package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.ReplicationScope;
import org.council.ledger.scope.Scope;
import org.council.ledger.scope.ScopeConfig;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;

/**
 * A whole network's ledger, signed in memory: every node's feed of receipt halves, with keys and
 * job ids drawn from a seed so that a run is repeatable. It answers what one node would hold under
 * a replication scope ({@link #heldBy}) and what the real karma engine computes over a RocksDB
 * ledger holding a given set of events ({@link #karma}).
 */
final class NetworkLedger {

    /** The clock of every store and engine: receipts are timestamped before it. */
    static final long NOW = FeedBuilder.T0 + 90 * KarmaNet.DAY;
    private static final int INGEST_CHUNK = 2_000;

    private final Random random;
    private final List<NodeKeyPair> keys = new ArrayList<>();
    private final List<List<SignedEvent>> feeds = new ArrayList<>();
    private final Map<NodeId, Integer> index = new HashMap<>();
    /** Every event in the order it was signed: each feed in seq order, receipts in time order. */
    private final List<SignedEvent> log = new ArrayList<>();

    NetworkLedger(int nodes, long seed) {
        random = new Random(seed);
        for (int i = 0; i < nodes; i++) {
            byte[] sk = new byte[32];
            random.nextBytes(sk);
            NodeKeyPair k = NodeKeyPair.fromPrivateKey(sk);
            keys.add(k);
            feeds.add(new ArrayList<>());
            index.put(k.id(), i);
        }
    }

    Random random() {
        return random;
    }

    int size() {
        return keys.size();
    }

    NodeId id(int node) {
        return keys.get(node).id();
    }

    List<SignedEvent> all() {
        return log;
    }

    /**
     * {@code server} served {@code requester} {@code credits} at {@code tsMs}: the server's
     * proposal, then the requester's acknowledgement a second later. Calls must come in time order.
     */
    void receipt(int server, int requester, double credits, long tsMs) {
        byte[] job = new byte[JobId.LENGTH];
        random.nextBytes(job);
        SignedEvent proposal = sign(server,
                FeedBuilder.proposal(JobId.of(job), id(requester), KarmaNet.milli(credits)), tsMs);
        sign(requester, FeedBuilder.ack(proposal), tsMs + 1_000);
    }

    private SignedEvent sign(int author, org.council.ledger.event.EventBody body, long tsMs) {
        List<SignedEvent> feed = feeds.get(author);
        SignedEvent last = feed.isEmpty() ? null : feed.get(feed.size() - 1);
        SignedEvent e = EventCodec.sign(keys.get(author), feed.size() + 1L, last == null ? null : last.id(),
                tsMs, body);
        feed.add(e);
        log.add(e);
        return e;
    }

    /**
     * The scope {@code self} settles on when it replicates by {@code config}: it starts from its own
     * feed, takes every feed of its scope up to the seq the scope wants, recomputes the scope
     * from what it took, and repeats until nothing new is wanted (the steady state of a node
     * that replicates by {@link ReplicationScope}).
     */
    Scope scopeOf(int self, ScopeConfig config) {
        ReplicationScope scope = new ReplicationScope(id(self), Set.of(), config);
        Map<NodeId, Integer> observed = new HashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<NodeId, Scope.Entry> entry : scope.scope().entries().entrySet()) {
                List<SignedEvent> feed = feeds.get(index.get(entry.getKey()));
                int from = observed.getOrDefault(entry.getKey(), 0);
                long upTo = Math.min(entry.getValue().upTo(), feed.size());
                for (int seq = from + 1; seq <= upTo; seq++) {
                    scope.observe(feed.get(seq - 1));
                    progress = true;
                }
                observed.put(entry.getKey(), (int) Math.max(from, upTo));
            }
        }
        return scope.scope();
    }

    /** The scope of {@code self} from {@code events} alone. */
    Scope scopeFrom(int self, ScopeConfig config, List<SignedEvent> events) {
        ReplicationScope scope = new ReplicationScope(id(self), Set.of(), config);
        events.forEach(scope::observe);
        return scope.scope();
    }

    /**
     * The events a node with {@code scope} holds: whole feeds entire, partial feeds up to their
     * {@code upTo}, nothing else (the smallest set: events a feed had beyond its {@code upTo}
     * while the scope wanted it whole are left out), in signing order.
     */
    List<SignedEvent> heldBy(Scope scope) {
        return log.stream().filter(e -> e.seq() <= scope.upTo(e.author())).toList();
    }

    /**
     * Opens a RocksDB ledger for node {@code self} in {@code dir}, ingests {@code events} (the own
     * feed's too, as a node recovering its history from peers does), starts the real karma engine
     * over it and returns the karma of {@code peers}.
     */
    Map<NodeId, Double> karma(Path dir, int self, List<SignedEvent> events, Collection<NodeId> peers) {
        LedgerConfig config = LedgerConfig.defaults().withClock(() -> NOW).withVerifierThreads(2);
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, keys.get(self), config)) {
            for (int from = 0; from < events.size(); from += INGEST_CHUNK) {
                List<byte[]> chunk = events.subList(from, Math.min(events.size(), from + INGEST_CHUNK)).stream()
                        .map(SignedEvent::envelope).toList();
                List<IngestOutcome> outcomes = store.ingest(chunk).join();
                assertThat(outcomes).allMatch(IngestOutcome::accepted);
            }
            KarmaEngine engine = KarmaEngine.start(store, KarmaConfig.defaults().withClock(() -> NOW), List.of());
            Map<NodeId, Double> out = new HashMap<>();
            for (NodeId peer : peers) {
                out.put(peer, engine.karma(peer));
            }
            return out;
        }
    }
}
