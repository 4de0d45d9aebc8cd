package org.council.ledger.store.rocksdb;

import java.util.Collection;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.ChainVerifier;
import org.council.ledger.store.LedgerCorruptedException;

/**
 * Recovery check on open, in the spirit of Kafka's log recovery: for every feed, nothing may lie
 * beyond the head record, and the last few events must be present, decode, be stored under their
 * own (author, seq), and pass the chain rule of {@link ChainVerifier} (links, signatures, and the
 * head naming the last of them). A failure refuses to open the store rather than carry on over a
 * broken chain.
 */
final class TailCheck {

    /** How many events at the end of each feed are re-verified on open. */
    static final int DEPTH = 4;

    private TailCheck() {
    }

    static void run(RocksHandles db, Collection<FeedHead> heads) {
        ChainVerifier chain = new ChainVerifier();
        for (FeedHead head : heads) {
            if (db.get(Columns.EVENTS, StoreKeys.event(head.author(), head.seq() + 1)) != null) {
                throw broken(db, head, head.seq() + 1, "an event is stored beyond the recorded head");
            }
            long lowest = Math.max(1, head.seq() - DEPTH + 1);
            // the event below the window is not read: its id is not checked, only what follows it
            chain.resumeAfter(head.author(), lowest - 1, null);
            for (long seq = lowest; seq <= head.seq(); seq++) {
                byte[] envelope = db.get(Columns.EVENTS, StoreKeys.event(head.author(), seq));
                if (envelope == null) {
                    throw broken(db, head, seq, "the event is missing");
                }
                SignedEvent e;
                try {
                    e = EventCodec.decodeTrusted(envelope);
                } catch (IllegalStateException ex) {
                    throw broken(db, head, seq, ex.getMessage());
                }
                if (!e.author().equals(head.author()) || e.seq() != seq) {
                    throw broken(db, head, seq, "it is stored under the wrong (author, seq)");
                }
                ChainVerifier.Problem problem = chain.link(e);
                if (problem == null) {
                    problem = chain.signatureProblem(e);
                }
                if (problem != null) {
                    throw broken(db, head, seq, problem.detail());
                }
            }
            if (!chain.headMatches(head)) {
                throw broken(db, head, head.seq(), "its id does not match the head record");
            }
        }
    }

    private static LedgerCorruptedException broken(RocksHandles db, FeedHead head, long seq, String why) {
        return new LedgerCorruptedException("ledger at " + db.dir() + " is damaged: feed " + head.author().hex()
                + " at seq " + seq + ": " + why + ". Refusing to open it; restore the data directory from a backup "
                + "or move it aside and let the node re-replicate its feeds from peers.");
    }
}
