package org.council.ledger.store.rocksdb;

import java.util.Collection;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerCorruptedException;

/**
 * Recovery check on open, in the spirit of Kafka's log recovery: for every feed, the head record
 * must match the stored tail, nothing may lie beyond the head, and the last few events must
 * decode, carry valid signatures and chain by prev. A failure refuses to open the store rather
 * than carry on over a broken chain.
 */
final class TailCheck {

    /** How many events at the end of each feed are re-verified on open. */
    static final int DEPTH = 4;

    private TailCheck() {
    }

    static void run(RocksHandles db, Collection<FeedHead> heads) {
        SignatureVerifier verifier = new SignatureVerifier();
        for (FeedHead head : heads) {
            if (db.get(Columns.EVENTS, StoreKeys.event(head.author(), head.seq() + 1)) != null) {
                throw broken(db, head, head.seq() + 1, "an event is stored beyond the recorded head");
            }
            EventId expected = head.id();
            long lowest = Math.max(1, head.seq() - DEPTH + 1);
            for (long seq = head.seq(); seq >= lowest; seq--) {
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
                if (!e.id().equals(expected)) {
                    throw broken(db, head, seq, "its id does not match the next event's prev (or the head record)");
                }
                if (!e.author().equals(head.author()) || e.seq() != seq) {
                    throw broken(db, head, seq, "it is stored under the wrong (author, seq)");
                }
                if (!EventCodec.signatureValid(verifier, e)) {
                    throw broken(db, head, seq, "its signature does not verify");
                }
                expected = e.prev();
            }
        }
    }

    private static LedgerCorruptedException broken(RocksHandles db, FeedHead head, long seq, String why) {
        return new LedgerCorruptedException("ledger at " + db.dir() + " is damaged: feed " + head.author().hex()
                + " at seq " + seq + ": " + why + ". Refusing to open it; restore the data directory from a backup "
                + "or move it aside and let the node re-replicate its feeds from peers.");
    }
}
