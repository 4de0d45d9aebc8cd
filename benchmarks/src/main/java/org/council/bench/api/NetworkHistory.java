package org.council.bench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;

/**
 * The signed history of a small network, generated round by round so that a million events never
 * sit in memory at once. In each round every author serves a block of jobs for a rotating
 * requester (receipt proposals), every requester acknowledges the block it received, and now and
 * then authors announce capabilities or rate a council. Each author's feed is signed on its own
 * thread (a feed is a chain, different feeds are independent).
 *
 * <p>Not thread-safe: one caller drives the rounds.
 */
final class NetworkHistory {

    /** Bump when the shape of the generated history changes, so that cached ledgers are rebuilt. */
    static final int VERSION = 1;

    private static final String[] MODELS = {"llama3.1:8b", "qwen2.5:7b", "mistral:7b", "gemma2:27b"};
    private static final long[] PARAMS = {8_000, 7_600, 7_200, 27_000};
    private static final String[] STAGES = {"answer", "review", "chairman"};

    private final List<Feed> feeds = new ArrayList<>();
    private final int jobsPerRound;
    private final ExecutorService signers;
    private final long t0;
    private int round;

    NetworkHistory(int authors, int jobsPerRound, ExecutorService signers) {
        this.jobsPerRound = jobsPerRound;
        this.signers = signers;
        for (int a = 0; a < authors; a++) {
            feeds.add(new Feed(NodeKeyPair.generate(), a));
        }
        // one minute per round, ending before now: the history is old, never ahead of the clock
        this.t0 = System.currentTimeMillis() - 30L * 86_400_000L;
    }

    List<NodeId> authors() {
        return feeds.stream().map(f -> f.keys.id()).toList();
    }

    /** About {@code 2 * authors * jobsPerRound} events. */
    int eventsPerRound() {
        return 2 * feeds.size() * jobsPerRound + feeds.size();
    }

    /**
     * The next round's events, each feed's events contiguous and in seq order (the order
     * {@code LedgerStore.ingest} wants).
     */
    List<byte[]> nextRound() throws Exception {
        int n = feeds.size();
        int shift = 1 + round % (n - 1);
        long start = t0 + round * 60_000L;
        List<List<SignedEvent>> proposals = parallel(a -> feeds.get(a).serve(feeds.get((a + shift) % n), start));
        List<List<SignedEvent>> acks = parallel(b -> feeds.get(b).acknowledge(proposals.get((b - shift + n) % n),
                start + 30_000));
        List<List<SignedEvent>> extras = parallel(a -> feeds.get(a).extras(round, start + 59_000));
        List<byte[]> out = new ArrayList<>(eventsPerRound());
        for (int a = 0; a < n; a++) {
            // a feed's events in seq order: proposals, then acknowledgements, then extras
            for (List<SignedEvent> part : List.of(proposals.get(a), acks.get(a), extras.get(a))) {
                part.forEach(e -> out.add(e.envelopeUnsafe()));
            }
        }
        round++;
        return out;
    }

    private interface PerAuthor {
        List<SignedEvent> run(int author) throws Exception;
    }

    private List<List<SignedEvent>> parallel(PerAuthor work) throws Exception {
        List<Future<List<SignedEvent>>> futures = new ArrayList<>();
        for (int a = 0; a < feeds.size(); a++) {
            int author = a;
            futures.add(signers.submit((Callable<List<SignedEvent>>) () -> work.run(author)));
        }
        List<List<SignedEvent>> out = new ArrayList<>();
        for (Future<List<SignedEvent>> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    /** One author's feed: its keys and head. Used by one signer thread at a time. */
    private final class Feed {
        private final NodeKeyPair keys;
        private final int index;
        private long seq;
        private EventId prev;

        Feed(NodeKeyPair keys, int index) {
            this.keys = keys;
            this.index = index;
        }

        List<SignedEvent> serve(Feed requester, long start) {
            List<SignedEvent> out = new ArrayList<>(jobsPerRound);
            int model = index % MODELS.length;
            for (int i = 0; i < jobsPerRound; i++) {
                JobId job = JobId.random();
                byte[] request = Sha256.hash(job.bytes());
                int prompt = 80 + (i * 37 + index) % 900;
                int completion = 120 + (i * 53 + round) % 1_400;
                long credits = (prompt + completion) * PARAMS[model] / 8_000;
                out.add(sign(start + i * 10L, new EventBody.ServiceProposed(job, requester.keys.id(), MODELS[model],
                        PARAMS[model], prompt, completion, i % 40, 400 + completion * 12L, request,
                        Sha256.hash(request), credits, STAGES[i % STAGES.length])));
            }
            return out;
        }

        List<SignedEvent> acknowledge(List<SignedEvent> proposals, long start) {
            List<SignedEvent> out = new ArrayList<>(proposals.size());
            for (int i = 0; i < proposals.size(); i++) {
                SignedEvent p = proposals.get(i);
                EventBody.ServiceProposed body = (EventBody.ServiceProposed) p.body();
                out.add(sign(start + i * 10L, new EventBody.ServiceAcknowledged(body.jobId(), p.author(), p.seq(),
                        p.id())));
            }
            return out;
        }

        /** Every 8th round a capabilities announcement, in the others a council rating. */
        List<SignedEvent> extras(int round, long at) {
            EventBody body;
            if ((round + index) % 8 == 0) {
                int m = index % MODELS.length;
                body = new EventBody.CapabilitiesAnnounced(List.of(new EventBody.ModelOffer(MODELS[m], PARAMS[m],
                        "Q4_K_M", 8_192)), "bench GPU " + index, 2, "127.0.0.1:" + (7_000 + index));
            } else {
                List<EventBody.RatedMember> members = new ArrayList<>();
                for (int k = 1; k <= 3; k++) {
                    Feed member = feeds.get((index + k) % feeds.size());
                    members.add(new EventBody.RatedMember(member.keys.id(), 1_000 * k, 3));
                }
                body = new EventBody.Rating(JobId.random(), members);
            }
            return List.of(sign(at, body));
        }

        private SignedEvent sign(long timestampMs, EventBody body) {
            SignedEvent e = EventCodec.sign(keys, ++seq, prev, timestampMs, body);
            prev = e.id();
            return e;
        }
    }
}
