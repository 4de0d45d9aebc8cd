package org.council.ledger.crash;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.council.crypto.Hex;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;

/**
 * The victim of {@link CrashIT}: runs in its own JVM, writes to a ledger as fast as it can and
 * prints a line for every write the store acknowledged, until it is killed.
 *
 * <p>Own feed: acknowledgements of the foreign node's proposals, and announcements, several
 * appends in flight at once (group commit). Foreign feed: proposals signed with the foreign key,
 * ingested in batches. Strangers: one new single-event feed per round, beyond a cap of
 * {@link #MAX_FEEDS} feeds, so that each evicts another in the same commit. Output lines: {@code A seq id} (own append durable), {@code I seq id}
 * (foreign event durable).
 */
public final class CrashWriterMain {

    /** Own, foreign (a counterparty, never evicted) and six strangers' feeds. */
    public static final int MAX_FEEDS = 8;

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        NodeKeyPair self = NodeKeyPair.fromPrivateKey(Hex.decode(args[1]));
        NodeKeyPair foreign = NodeKeyPair.fromPrivateKey(Hex.decode(args[2]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, LedgerConfig.defaults().withMaxFeeds(MAX_FEEDS))) {
            out.println("READY");
            out.flush();
            Optional<FeedHead> fh = store.head(foreign.id());
            long fseq = fh.map(FeedHead::seq).orElse(0L);
            var fprev = fh.map(FeedHead::id).orElse(null);
            long ts = System.currentTimeMillis();
            while (true) {
                // a foreign batch of proposals for us
                List<SignedEvent> batch = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    SignedEvent e = EventCodec.sign(foreign, ++fseq, fprev, ts, FeedBuilder.proposal(self.id(), 250));
                    fprev = e.id();
                    batch.add(e);
                }
                var ingested = store.ingest(batch.stream().map(SignedEvent::envelope).toList());
                var stranger = store.ingest(List.of(FeedBuilder.random().next(FeedBuilder.capabilities("s")).envelope()));
                // own appends in flight at the same time: acknowledge each proposal, announce sometimes
                List<java.util.concurrent.CompletableFuture<SignedEvent>> own = new java.util.ArrayList<>();
                for (SignedEvent p : batch) {
                    own.add(store.append(FeedBuilder.ack(p)));
                }
                own.add(store.append(FeedBuilder.capabilities("crash-test-model")));
                if (!stranger.join().get(0).accepted()) { // at the cap: another stranger's feed makes room
                    throw new IllegalStateException("stranger's feed refused: " + stranger.join());
                }
                List<IngestOutcome> outcomes = ingested.join();
                for (int i = 0; i < outcomes.size(); i++) {
                    if (!outcomes.get(i).accepted()) {
                        throw new IllegalStateException("foreign event refused: " + outcomes.get(i));
                    }
                    out.println("I " + batch.get(i).seq() + " " + batch.get(i).id().hex());
                }
                for (var f : own) {
                    SignedEvent e = f.join();
                    out.println("A " + e.seq() + " " + e.id().hex());
                }
                out.flush();
            }
        }
    }
}
