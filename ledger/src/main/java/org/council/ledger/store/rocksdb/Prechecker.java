package org.council.ledger.store.rocksdb;

import org.council.crypto.NodeId;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.Rejection;

/**
 * The order-independent half of validation, run in parallel on the verifier threads: size (tighter
 * for unknown kinds), structure, expected author, already-known id, the feed cap, clock skew,
 * signature, and the signatures inside
 * an equivocation proof. The order-dependent half (seq, prev, forks) runs on the writer thread
 * ({@link FeedRules}). Thread-safe.
 */
final class Prechecker {

    private final RocksHandles db;
    private final SignatureVerifier verifier;
    private final LedgerConfig config;

    private final NodeId self;
    private final FeedCap feedCap;

    Prechecker(RocksHandles db, NodeId self, SignatureVerifier verifier, LedgerConfig config, FeedCap feedCap) {
        this.db = db;
        this.self = self;
        this.verifier = verifier;
        this.config = config;
        this.feedCap = feedCap;
    }

    /** The outcome of the parallel checks: an event to place, or a rejection. */
    record Checked(SignedEvent event, IngestOutcome.Rejected rejection) {
        static Checked reject(Rejection reason, String detail) {
            return new Checked(null, new IngestOutcome.Rejected(reason, detail));
        }
    }

    Checked check(byte[] envelope, NodeId expectedAuthor) {
        DecodeResult decoded = EventCodec.decode(envelope);
        if (decoded instanceof DecodeResult.Undecodable u) {
            return Checked.reject(u.oversize() ? Rejection.OVERSIZE : Rejection.MALFORMED, u.detail());
        }
        SignedEvent e = ((DecodeResult.Decoded) decoded).event();
        if (expectedAuthor != null && !expectedAuthor.equals(e.author())) {
            return Checked.reject(Rejection.WRONG_AUTHOR, "event by " + e.author().shortHex()
                    + " offered as part of the feed of " + expectedAuthor.shortHex());
        }
        if (db.get(Columns.EVENT_IDS, StoreKeys.eventId(e.id())) != null) {
            return Checked.reject(Rejection.DUPLICATE, "event " + e.id().hex() + " is already stored");
        }
        // Events of the own feed are accepted back from peers (a restored or lost data dir recovers
        // its history): they pass the same checks as any feed's, the signature with this node's key.
        // The own feed is never refused by the feed cap.
        // the cheap refusals come before the signature check: they cost a stranger nothing to cause
        IngestOutcome.Rejected early = FeedRules.oversize(e);
        if (early == null && !e.author().equals(self)) {
            early = feedCap.precheck(e.author());
        }
        if (early != null) {
            return new Checked(null, early);
        }
        long now = config.clockMillis().getAsLong();
        if (e.timestampMs() > now + config.maxClockSkewMs()) {
            return Checked.reject(Rejection.CLOCK_AHEAD, "timestamp " + e.timestampMs() + " is "
                    + (e.timestampMs() - now) + " ms ahead of this node's clock (limit " + config.maxClockSkewMs() + ")");
        }
        if (!EventCodec.signatureValid(verifier, e)) {
            if (!SignatureVerifier.isValidPublicKey(e.author())) {
                return Checked.reject(Rejection.WRONG_AUTHOR, "author " + e.author().shortHex()
                        + " is not a valid Ed25519 public key");
            }
            return Checked.reject(Rejection.BAD_SIGNATURE, "signature of " + e + " does not verify");
        }
        if (e.body() instanceof EventBody.EquivocationObserved proof
                && !(validSignature(proof.first()) && validSignature(proof.second()))) {
            return Checked.reject(Rejection.MALFORMED, "equivocation proof holds an event whose signature does not verify");
        }
        return new Checked(e, null);
    }

    boolean validSignature(SignedEvent e) {
        return EventCodec.signatureValid(verifier, e);
    }
}
