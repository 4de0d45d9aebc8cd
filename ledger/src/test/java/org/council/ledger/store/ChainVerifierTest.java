package org.council.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

/** The one chain rule shared by the recovery check, the audit and the CLI. */
class ChainVerifierTest {

    private final FeedBuilder a = FeedBuilder.random();
    private final FeedBuilder b = FeedBuilder.random();

    @Test
    void interleavedGoodFeedsChainAndTheirHeadsMatch() {
        ChainVerifier chain = new ChainVerifier();
        for (int i = 0; i < 3; i++) {
            for (FeedBuilder f : new FeedBuilder[] {a, b}) {
                SignedEvent e = f.next(FeedBuilder.capabilities("m" + i));
                assertThat(chain.link(e)).isNull();
                assertThat(chain.signatureProblem(e)).isNull();
            }
        }
        SignedEvent last = a.events().get(2);
        assertThat(chain.headMatches(new FeedHead(a.id(), 3, last.id(), last.timestampMs()))).isTrue();
        assertThat(chain.headMatches(new FeedHead(a.id(), 2, a.events().get(1).id(), 0))).isFalse();
        assertThat(chain.tails()).hasSize(2);
    }

    @Test
    void aGapAndABrokenLinkAreReportedWhereTheyHappen() {
        ChainVerifier chain = new ChainVerifier();
        SignedEvent first = a.next(FeedBuilder.capabilities("m"));
        SignedEvent forged = a.sign(2, first.id(), 1, FeedBuilder.capabilities("forged")); // a fork at seq 2
        a.next(FeedBuilder.capabilities("real 2"));
        SignedEvent third = a.next(FeedBuilder.capabilities("3"));

        assertThat(chain.link(first)).isNull();
        assertThat(chain.link(forged)).isNull();
        assertThat(chain.link(third).describe())
                .isEqualTo("feed " + a.id().hex() + " seq 3: prev is not the id of the previous event");

        ChainVerifier gap = new ChainVerifier();
        gap.link(first);
        assertThat(gap.link(third).describe()).isEqualTo("feed " + a.id().hex() + " seq 3: expected seq 2");
    }

    @Test
    void aBadSignatureIsReported() {
        SignedEvent e = a.next(FeedBuilder.capabilities("m"));
        byte[] envelope = e.envelope();
        envelope[envelope.length - 1] ^= 1;
        SignedEvent tampered = EventCodec.decodeTrusted(envelope);

        ChainVerifier chain = new ChainVerifier();
        assertThat(chain.link(tampered)).isNull();
        assertThat(chain.signatureProblem(tampered).describe())
                .isEqualTo("feed " + a.id().hex() + " seq 1: signature does not verify");
    }

    @Test
    void afterAnUnreadableEventOnlyTheSeqIsChecked() {
        ChainVerifier chain = new ChainVerifier();
        SignedEvent first = a.next(FeedBuilder.capabilities("m"));
        a.next(FeedBuilder.capabilities("unreadable"));
        SignedEvent third = a.next(FeedBuilder.capabilities("3"));

        chain.link(first);
        assertThat(chain.skip(a.id())).isEqualTo(2);
        assertThat(chain.link(third)).isNull();
    }

    @Test
    void aTailCanBeVerifiedFromTheMiddleOfAFeed() {
        for (int i = 0; i < 5; i++) {
            a.next(FeedBuilder.capabilities("m" + i));
        }
        ChainVerifier chain = new ChainVerifier();
        chain.resumeAfter(a.id(), 3, null);
        assertThat(chain.link(a.events().get(3))).isNull();
        assertThat(chain.link(a.events().get(4))).isNull();
        assertThat(chain.tail(a.id()).seq()).isEqualTo(5);
    }
}
