package org.council.ledger.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;

/** Builds a valid feed for a key, event by event, outside any store (a remote author's view). */
public final class FeedBuilder {

    public static final long T0 = 1_760_000_000_000L;

    private final NodeKeyPair keys;
    private final List<SignedEvent> events = new ArrayList<>();
    private long clock = T0;

    public FeedBuilder(NodeKeyPair keys) {
        this.keys = keys;
    }

    public static FeedBuilder random() {
        return new FeedBuilder(NodeKeyPair.generate());
    }

    public NodeKeyPair keys() {
        return keys;
    }

    public NodeId id() {
        return keys.id();
    }

    public List<SignedEvent> events() {
        return events;
    }

    public List<byte[]> envelopes() {
        return events.stream().map(SignedEvent::envelope).toList();
    }

    /** Signs {@code body} as the next event of the feed. */
    public SignedEvent next(EventBody body) {
        SignedEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
        SignedEvent e = EventCodec.sign(keys, events.size() + 1L, last == null ? null : last.id(), clock++, body);
        events.add(e);
        return e;
    }

    /** Signs an event with explicit fields, not added to the feed (for forks and forgeries). */
    public SignedEvent sign(long seq, EventId prev, long timestampMs, EventBody body) {
        return EventCodec.sign(keys, seq, prev, timestampMs, body);
    }

    public static EventBody.CapabilitiesAnnounced capabilities(String model) {
        return new EventBody.CapabilitiesAnnounced(
                List.of(new EventBody.ModelOffer(model, 8_000, "Q4_K_M", 8192)), "test GPU", 1, "127.0.0.1:7000");
    }

    public static EventBody.ServiceProposed proposal(NodeId requester, long creditsMilli) {
        return proposal(JobId.random(), requester, creditsMilli);
    }

    public static EventBody.ServiceProposed proposal(JobId job, NodeId requester, long creditsMilli) {
        byte[] h = Sha256.hash(job.bytes());
        return new EventBody.ServiceProposed(job, requester, "llama3.1:8b", 8_000,
                ThreadLocalRandom.current().nextInt(10, 500), ThreadLocalRandom.current().nextInt(10, 500),
                5, 1200, h, Sha256.hash(h), creditsMilli, "answer");
    }

    public static EventBody.ServiceAcknowledged ack(SignedEvent proposal) {
        EventBody.ServiceProposed p = (EventBody.ServiceProposed) proposal.body();
        return new EventBody.ServiceAcknowledged(p.jobId(), proposal.author(), proposal.seq(), proposal.id());
    }
}
