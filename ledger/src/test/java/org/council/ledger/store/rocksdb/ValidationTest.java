package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.Limits;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.Rejection;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rejection reason, each proven to change nothing. */
class ValidationTest {

    @TempDir
    Path dir;
    private final StoreFixture fixture = new StoreFixture();
    private RocksLedgerStore store;
    private final FeedBuilder remote = FeedBuilder.random();

    @BeforeEach
    void open() {
        store = fixture.open(dir, NodeKeyPair.generate());
        remote.next(FeedBuilder.capabilities("m1"));
        remote.next(FeedBuilder.capabilities("m2"));
        assertThat(StoreFixture.ingest(store, remote.events().toArray(SignedEvent[]::new)))
                .allMatch(IngestOutcome::accepted);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void assertRejected(byte[] envelope, Rejection reason) {
        long before = store.eventCount();
        var heads = store.heads();
        IngestOutcome outcome = StoreFixture.ingestOne(store, envelope);
        assertThat(outcome).isInstanceOf(IngestOutcome.Rejected.class);
        assertThat(((IngestOutcome.Rejected) outcome).reason()).isEqualTo(reason);
        assertThat(store.eventCount()).isEqualTo(before);
        assertThat(store.heads()).isEqualTo(heads);
        assertThat(store.equivocations()).isEmpty();
    }

    private SignedEvent next() {
        SignedEvent last = remote.events().get(remote.events().size() - 1);
        return remote.sign(last.seq() + 1, last.id(), FeedBuilder.T0 + 10, FeedBuilder.capabilities("m3"));
    }

    @Test
    void badSignature() {
        byte[] env = next().envelope();
        env[env.length - 1] ^= 0x40;
        assertRejected(env, Rejection.BAD_SIGNATURE);
    }

    @Test
    void signedByAnotherKey() {
        SignedEvent n = next();
        byte[] forged = NodeKeyPair.generate().sign(EventCodec.DOMAIN, n.payload());
        assertRejected(EventCodec.encodeEnvelope(n.payload(), forged), Rejection.BAD_SIGNATURE);
    }

    @Test
    void wrongAuthorForTheFeed() {
        IngestOutcome o = store.ingestFeed(NodeKeyPair.generate().id(), List.of(next().envelope())).join().get(0);
        assertThat(o).isInstanceOf(IngestOutcome.Rejected.class);
        assertThat(((IngestOutcome.Rejected) o).reason()).isEqualTo(Rejection.WRONG_AUTHOR);
    }

    @Test
    void authorThatIsNotAValidKey() {
        // the identity point has small order: RFC 8032's full check refuses it
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] payload = EventCodec.encodePayload(org.council.crypto.NodeId.of(identity), 1, null, 1,
                FeedBuilder.capabilities("m"));
        assertRejected(EventCodec.encodeEnvelope(payload, new byte[64]), Rejection.WRONG_AUTHOR);
    }

    @Test
    void seqGap() {
        SignedEvent last = remote.events().get(1);
        assertRejected(remote.sign(4, last.id(), 1, FeedBuilder.capabilities("x")).envelope(), Rejection.SEQ_GAP);
    }

    @Test
    void prevMismatch() {
        SignedEvent wrongPrev = remote.sign(3, remote.events().get(0).id(), 1, FeedBuilder.capabilities("x"));
        assertRejected(wrongPrev.envelope(), Rejection.PREV_MISMATCH);
        SignedEvent randomPrev = remote.sign(3, EventId.of(new byte[32]), 1, FeedBuilder.capabilities("x"));
        assertRejected(randomPrev.envelope(), Rejection.PREV_MISMATCH);
    }

    @Test
    void duplicate() {
        assertRejected(remote.events().get(1).envelope(), Rejection.DUPLICATE);
    }

    @Test
    void duplicateWithinOneBatchIsCaughtByTheWriter() {
        SignedEvent n = next();
        List<IngestOutcome> outcomes = store.ingest(List.of(n.envelope(), n.envelope())).join();
        assertThat(outcomes.get(0).accepted()).isTrue();
        assertThat(((IngestOutcome.Rejected) outcomes.get(1)).reason()).isEqualTo(Rejection.DUPLICATE);
    }

    @Test
    void oversize() {
        byte[] big = new byte[Limits.MAX_EVENT_BYTES + 10];
        assertRejected(big, Rejection.OVERSIZE);
    }

    @Test
    void malformed() {
        assertRejected(new byte[] {1, 2, 3, 4, 5}, Rejection.MALFORMED);
        byte[] noBody = EventCodec.encodeEnvelope(new byte[] {0x10, 0x03}, new byte[64]);
        assertRejected(noBody, Rejection.MALFORMED);
    }

    @Test
    void clockTooFarAhead() {
        SignedEvent last = remote.events().get(1);
        long future = fixture.clock.get() + fixture.config.maxClockSkewMs() + 1;
        assertRejected(remote.sign(3, last.id(), future, FeedBuilder.capabilities("x")).envelope(),
                Rejection.CLOCK_AHEAD);
        long justInside = fixture.clock.get() + fixture.config.maxClockSkewMs();
        assertThat(StoreFixture.ingestOne(store, remote.sign(3, last.id(), justInside,
                FeedBuilder.capabilities("x")).envelope()).accepted()).isTrue();
    }

    @Test
    void aMutatedByteAnywhereIsRejectedAndNothingIsStored() {
        byte[] env = next().envelope();
        for (int i = 0; i < env.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] mutated = env.clone();
                mutated[i] ^= (byte) bit;
                IngestOutcome o = StoreFixture.ingestOne(store, mutated);
                assertThat(o).as("byte %d bit %x", i, bit).isInstanceOf(IngestOutcome.Rejected.class);
            }
        }
        assertThat(store.eventCount()).isEqualTo(2);
        assertThat(store.head(remote.id()).orElseThrow().seq()).isEqualTo(2);
        assertThat(StoreFixture.ingestOne(store, env).accepted()).as("the original still goes in").isTrue();
    }

    @Test
    void forgedEquivocationProofIsMalformed() {
        NodeKeyPair victim = NodeKeyPair.generate();
        FeedBuilder v = new FeedBuilder(victim);
        SignedEvent a = v.sign(1, null, 1, FeedBuilder.capabilities("a"));
        // a "second version" whose signature is garbage
        SignedEvent b = v.sign(1, null, 1, FeedBuilder.capabilities("b"));
        byte[] badSig = b.signature();
        badSig[0] ^= 1;
        SignedEvent forged = ((org.council.ledger.codec.DecodeResult.Decoded) EventCodec.decode(
                EventCodec.encodeEnvelope(b.payload(), badSig))).event();
        SignedEvent last = remote.events().get(1);
        SignedEvent proof = remote.sign(3, last.id(), 1, new EventBody.EquivocationObserved(victim.id(), 1, a, forged));
        assertRejected(proof.envelope(), Rejection.MALFORMED);
        assertThat(store.isEquivocator(victim.id())).isFalse();
    }
}
