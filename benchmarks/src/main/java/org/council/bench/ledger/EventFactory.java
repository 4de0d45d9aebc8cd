package org.council.bench.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;

/** Realistic event streams for the benchmarks: receipts between a set of authors. */
public final class EventFactory {

    private EventFactory() {
    }

    /** A body for own append number {@code i}: mostly receipt proposals, some announcements. */
    static EventBody body(int i, List<NodeKeyPair> peers) {
        if (i % 10 == 0) {
            return new EventBody.CapabilitiesAnnounced(List.of(new EventBody.ModelOffer("llama3.1:8b", 8_000,
                    "Q4_K_M", 8192)), "bench GPU", 1, "127.0.0.1:7000");
        }
        return proposal(JobId.random(), peers.get(i % peers.size()).id(), i);
    }

    static EventBody.ServiceProposed proposal(JobId job, org.council.crypto.NodeId requester, int i) {
        byte[] h = Sha256.hash(job.bytes());
        return new EventBody.ServiceProposed(job, requester, "llama3.1:8b", 8_000, 120 + i % 50, 300 + i % 200,
                4, 2_500, h, Sha256.hash(h), 1_000 + i % 1_000, "answer");
    }

    /**
     * {@code authors} feeds of about {@code total / authors} events each: in each round every
     * author proposes a receipt to the next author, who acknowledges it in the same round.
     */
    public static List<List<SignedEvent>> receiptFeeds(int authors, int total) {
        List<NodeKeyPair> keys = Stream.generate(NodeKeyPair::generate).limit(authors).toList();
        List<List<SignedEvent>> feeds = new ArrayList<>();
        for (int a = 0; a < authors; a++) {
            feeds.add(new ArrayList<>());
        }
        long ts = System.currentTimeMillis() - 86_400_000L;
        int made = 0;
        int round = 0;
        while (made < total) {
            for (int a = 0; a < authors && made < total; a++) {
                int b = (a + 1) % authors;
                SignedEvent p = next(keys.get(a), feeds.get(a), proposal(JobId.random(), keys.get(b).id(), round), ts++);
                made++;
                if (made < total) {
                    EventBody.ServiceAcknowledged ack = new EventBody.ServiceAcknowledged(
                            ((EventBody.ServiceProposed) p.body()).jobId(), p.author(), p.seq(), p.id());
                    next(keys.get(b), feeds.get(b), ack, ts++);
                    made++;
                }
            }
            round++;
        }
        return feeds;
    }

    private static SignedEvent next(NodeKeyPair keys, List<SignedEvent> feed, EventBody body, long ts) {
        SignedEvent last = feed.isEmpty() ? null : feed.get(feed.size() - 1);
        SignedEvent e = EventCodec.sign(keys, feed.size() + 1L, last == null ? null : last.id(), ts, body);
        feed.add(e);
        return e;
    }
}
