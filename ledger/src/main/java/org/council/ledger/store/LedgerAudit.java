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
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;

/**
 * Re-verifies every stored feed end to end: seqs contiguous from 1, each prev equal to the
 * previous event's id, every signature valid, and each feed's head record equal to its last
 * event. Signatures are checked on all cores in chunks. Read-only; safe to run beside a live store.
 */
public final class LedgerAudit {

    private static final int CHUNK = 2048;

    private final LedgerStore store;
    private final SignatureVerifier verifier = new SignatureVerifier();

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
        Map<NodeId, SignedEvent> last = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long events = 0;
        try (Stream<SignedEvent> all = store.allEvents()) {
            Iterator<SignedEvent> it = all.iterator();
            List<SignedEvent> chunk = new ArrayList<>(CHUNK);
            while (it.hasNext()) {
                SignedEvent e = it.next();
                SignedEvent prev = last.put(e.author(), e);
                long expectedSeq = prev == null ? 1 : prev.seq() + 1;
                EventId expectedPrev = prev == null ? null : prev.id();
                if (e.seq() != expectedSeq) {
                    problems.add(where(e) + ": expected seq " + expectedSeq);
                } else if (!Objects.equals(e.prev(), expectedPrev)) {
                    problems.add(where(e) + ": prev is not the id of the previous event");
                }
                chunk.add(e);
                events++;
                if (chunk.size() == CHUNK) {
                    verifySignatures(chunk, problems);
                    chunk = new ArrayList<>(CHUNK);
                    progress.accept(events);
                }
            }
            verifySignatures(chunk, problems);
            progress.accept(events);
        }
        for (Map.Entry<NodeId, SignedEvent> e : last.entrySet()) {
            FeedHead head = heads.remove(e.getKey());
            if (head == null || head.seq() != e.getValue().seq() || !head.id().equals(e.getValue().id())) {
                problems.add("feed " + e.getKey().hex() + ": head record does not match its last event");
            }
        }
        heads.keySet().forEach(author -> problems.add("feed " + author.hex() + ": head recorded but no events"));
        return new Report(last.size(), events, List.copyOf(problems));
    }

    private void verifySignatures(List<SignedEvent> chunk, List<String> problems) {
        chunk.parallelStream()
                .filter(e -> !EventCodec.signatureValid(verifier, e))
                .map(e -> where(e) + ": signature does not verify")
                .sequential()
                .forEachOrdered(problems::add);
    }

    private static String where(SignedEvent e) {
        return "feed " + e.author().hex() + " seq " + e.seq();
    }
}
