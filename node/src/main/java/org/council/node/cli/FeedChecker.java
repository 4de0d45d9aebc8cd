package org.council.node.cli;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.council.crypto.Hex;
import org.council.crypto.NodeId;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.ChainVerifier;

/**
 * Re-verifies events given in the audit API's JSON shape, trusting only their {@code signed_event}
 * bytes: each is decoded by the ledger's own {@link EventCodec} (strict, size-limited), its id is
 * the SHA-256 of those bytes, and the ledger's {@link ChainVerifier} checks it: its signature must
 * verify under its author's key, and per author the seqs must run 1, 2, 3… with each prev the id
 * of the event before. The other JSON fields are
 * checked against the bytes too (the body, a rendering, is not). Feed events in feed order;
 * batches of one feed may be passed in several calls. Not thread-safe (one reader).
 */
final class FeedChecker {

    /** At most this many problems are kept to print; all are counted. */
    static final int MAX_KEPT = 1000;

    private record Decoded(JsonObject json, SignedEvent event, String problem, boolean signatureValid) {
    }

    private final ChainVerifier chain = new ChainVerifier();
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private long events;

    long feeds() {
        return chain.tails().size();
    }

    long events() {
        return events;
    }

    long problemCount() {
        return problemCount;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    void problem(String p) {
        problemCount++;
        if (problems.size() < MAX_KEPT) {
            problems.add(p);
        }
    }

    /**
     * Checks a batch in order; signatures on all cores. {@code feed} is the author whose feed the
     * batch was served as, or null when the events themselves say (an export file).
     */
    void check(NodeId feed, List<JsonObject> batch) {
        List<Decoded> decoded = batch.parallelStream().map(this::decode).toList();
        for (Decoded d : decoded) {
            events++;
            if (d.event() == null) {
                undecodable(feed, d);
            } else {
                chain(feed, d);
            }
        }
    }

    private Decoded decode(JsonObject json) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(Objects.requireNonNull(json.getString("signed_event")));
        } catch (RuntimeException e) {
            return new Decoded(json, null, "signed_event is missing or not base64", false);
        }
        DecodeResult r = EventCodec.decode(bytes);
        if (r instanceof DecodeResult.Undecodable u) {
            return new Decoded(json, null, "signed_event does not decode: " + u.detail(), false);
        }
        SignedEvent e = ((DecodeResult.Decoded) r).event();
        return new Decoded(json, e, null, chain.signatureProblem(e) == null);
    }

    private void undecodable(NodeId feed, Decoded d) {
        NodeId author = feed;
        if (author == null) {
            try {
                author = NodeId.fromHex(d.json().getString("author"));
            } catch (RuntimeException e) {
                problem("event " + events + " (author unreadable): " + d.problem());
                return;
            }
        }
        // its id is unknown, so the next event's prev cannot be checked; its seq still can
        long seq = chain.skip(author);
        problem("feed " + author.hex() + " seq " + seq + ": " + d.problem());
    }

    private void chain(NodeId feed, Decoded d) {
        SignedEvent e = d.event();
        String where = "feed " + e.author().hex() + " seq " + e.seq();
        if (feed != null && !feed.equals(e.author())) {
            problem(where + ": served in the feed of " + feed.hex() + " but signed by another author");
        }
        ChainVerifier.Problem link = chain.link(e);
        if (link != null) {
            problem(link.describe());
        }
        if (!d.signatureValid()) {
            problem(where + ": signature does not verify");
        }
        String claims = claimsProblem(d.json(), e);
        if (claims != null) {
            problem(where + ": " + claims);
        }
    }

    // What the JSON says beside the bytes must be what the bytes say.
    private static String claimsProblem(JsonObject j, SignedEvent e) {
        Base64.Encoder b64 = Base64.getEncoder();
        List<String> wrong = new ArrayList<>();
        expect(wrong, "id", j.getValue("id"), e.id().hex());
        expect(wrong, "author", j.getValue("author"), e.author().hex());
        expect(wrong, "seq", number(j.getValue("seq")), e.seq());
        expect(wrong, "prev", j.getValue("prev"), e.prev() == null ? null : e.prev().hex());
        expect(wrong, "timestamp_ms", number(j.getValue("timestamp_ms")), e.timestampMs());
        expect(wrong, "kind", j.getValue("kind"), e.kind().wireName());
        expect(wrong, "payload", j.getValue("payload"), b64.encodeToString(e.payloadUnsafe()));
        expect(wrong, "signature", j.getValue("signature"), Hex.encode(e.signatureUnsafe()));
        return wrong.isEmpty() ? null : "the JSON's " + String.join(", ", wrong) + " disagree"
                + (wrong.size() == 1 ? "s" : "") + " with the signed bytes";
    }

    private static Object number(Object v) {
        return v instanceof Number n ? (Object) n.longValue() : v;
    }

    private static void expect(List<String> wrong, String field, Object claimed, Object actual) {
        if (!Objects.equals(claimed, actual)) {
            wrong.add(field);
        }
    }

    /** Checks the head a server listed for {@code author} against the last event it served. */
    void checkHead(NodeId author, long headSeq, String headId) {
        ChainVerifier.Tail tail = chain.tail(author);
        long last = tail == null ? 0 : tail.seq();
        if (last < headSeq) {
            problem("feed " + author.hex() + ": listed with head seq " + headSeq + " but its events end at seq " + last);
        } else if (tail != null && tail.id() != null && !tail.id().hex().equals(headId)) {
            problem("feed " + author.hex() + ": listed head id " + headId + " is not the id of its event " + last);
        }
    }
}
