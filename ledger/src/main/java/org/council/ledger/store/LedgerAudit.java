package org.council.ledger.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;

/**
 * Re-verifies every stored feed end to end by the rule of {@link ChainVerifier}: seqs contiguous
 * from 1, each prev equal to the previous event's id, every signature valid, and each feed's head
 * record equal to its last event. Signatures are checked on all cores in chunks. Read-only; safe to run beside a live store.
 */
public final class LedgerAudit {

    private static final int CHUNK = 2048;

    private final LedgerStore store;

    public LedgerAudit(LedgerStore store) {
        this.store = store;
    }

    /** The outcome: how much was checked and every problem found (empty when the ledger is sound). */
    public record Report(long feeds, long events, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Report verifyAll() {
        return verifyAll(n -> { });
    }

    /** As {@link #verifyAll()}, calling {@code progress} with the running event count after each chunk. */
    public Report verifyAll(LongConsumer progress) {
        Map<NodeId, FeedHead> heads = new TreeMap<>();
        store.heads().forEach(h -> heads.put(h.author(), h));
        ChainVerifier chain = new ChainVerifier();
        List<String> problems = new ArrayList<>();
        long events = 0;
        try (Stream<SignedEvent> all = store.allEvents()) {
            Iterator<SignedEvent> it = all.iterator();
            List<SignedEvent> chunk = new ArrayList<>(CHUNK);
            while (it.hasNext()) {
                SignedEvent e = it.next();
                ChainVerifier.Problem linkProblem = chain.link(e);
                if (linkProblem != null) {
                    problems.add(linkProblem.describe());
                }
                chunk.add(e);
                events++;
                if (chunk.size() == CHUNK) {
                    verifySignatures(chain, chunk, problems);
                    chunk = new ArrayList<>(CHUNK);
                    progress.accept(events);
                }
            }
            verifySignatures(chain, chunk, problems);
            progress.accept(events);
        }
        Map<NodeId, ChainVerifier.Tail> feeds = new TreeMap<>(chain.tails());
        for (NodeId author : feeds.keySet()) {
            FeedHead head = heads.remove(author);
            if (head == null || !chain.headMatches(head)) {
                problems.add("feed " + author.hex() + ": head record does not match its last event");
            }
        }
        heads.keySet().forEach(author -> problems.add("feed " + author.hex() + ": head recorded but no events"));
        return new Report(feeds.size(), events, List.copyOf(problems));
    }

    private static void verifySignatures(ChainVerifier chain, List<SignedEvent> chunk, List<String> problems) {
        chunk.parallelStream()
                .map(chain::signatureProblem)
                .filter(Objects::nonNull)
                .map(ChainVerifier.Problem::describe)
                .sequential()
                .forEachOrdered(problems::add);
    }
}
