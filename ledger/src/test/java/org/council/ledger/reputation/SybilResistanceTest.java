package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SybilResistanceTest {

    private static final int SYBILS = 50;

    @TempDir
    Path dir;

    @Test
    void fiftySybilsTradingOnlyAmongThemselvesGetUnderFivePercentOfAnHonestServersWeight() {
        try (KarmaNet net = new KarmaNet(dir)) {
            // given: honest P served this node H three times, acknowledged by H
            KarmaNet.Feed p = new KarmaNet.Feed();
            for (int i = 0; i < 3; i++) {
                net.servedSelf(p, 10, 0);
            }
            // 50 Sybils trading large receipts among themselves, one of them served by P, all of
            // them proposing service to H that H never acknowledged
            List<KarmaNet.Feed> sybils = sybilRing(net);
            net.receipt(p, sybils.get(0), 5, 0);
            sybils.forEach(s -> net.unacknowledged(s, net.self(), 1_000));
            net.flush();

            // when
            KarmaEngine engine = net.engine();

            // then
            double pKarma = engine.karma(p.id());
            double maxSybilKarma = sybils.stream().mapToDouble(s -> engine.karma(s.id())).max().orElseThrow();
            double sybilTrust = sybils.stream().mapToDouble(s -> engine.trust(s.id())).sum();
            System.out.printf("sybil test: P karma %.4f, max Sybil karma %.6f (%.4f%% of P), Sybil trust %.6f%n",
                    pKarma, maxSybilKarma, 100 * maxSybilKarma / pKarma, sybilTrust);
            assertThat(pKarma).isGreaterThan(1);
            assertThat(maxSybilKarma).isLessThan(0.05 * pKarma);
            assertThat(sybilTrust).isLessThan(0.05 * engine.trust(p.id()));
            assertThat(engine.settledReceipts()).isEqualTo(3 + SYBILS * 10 + 1);
        }
    }

    @Test
    void trustLeakingThroughOneHonestEdgeIsBoundedByThatEdge() {
        try (KarmaNet net = new KarmaNet(dir)) {
            // given: as above, but P also acknowledged one small job served by a Sybil
            KarmaNet.Feed p = new KarmaNet.Feed();
            for (int i = 0; i < 3; i++) {
                net.servedSelf(p, 10, 0);
            }
            List<KarmaNet.Feed> sybils = sybilRing(net);
            net.receipt(sybils.get(0), p, 1, 0);
            net.flush();

            // when
            KarmaEngine engine = net.engine();

            // then: the region holds at most (1-a)/a · t_P · c(P→S0), c = 1 credit / 100 saturation;
            // a closed ring keeps all it receives, so it reaches the bound (from below, up to rounding)
            double alpha = net.config().alpha();
            double bound = (1 - alpha) / alpha * engine.trust(p.id()) * 0.01;
            double sybilTrust = sybils.stream().mapToDouble(s -> engine.trust(s.id())).sum();
            double maxSybilKarma = sybils.stream().mapToDouble(s -> engine.karma(s.id())).max().orElseThrow();
            System.out.printf("leak test: Sybil trust %.6f (bound %.6f), max Sybil karma %.4f%% of P%n",
                    sybilTrust, bound, 100 * maxSybilKarma / engine.karma(p.id()));
            assertThat(sybilTrust).isGreaterThan(0).isLessThanOrEqualTo(bound * 1.001);
            assertThat(maxSybilKarma).isLessThan(0.05 * engine.karma(p.id()));
        }
    }

    @Test
    void aNodeWritingOnlyToItsOwnFeedGainsNoTrustAndNoBalance() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaEngine engine = net.engine();
            // given: X claims large jobs for requesters that never acknowledge (fake ones and H),
            // and acknowledges proposals that do not exist
            KarmaNet.Feed x = new KarmaNet.Feed();
            for (int i = 0; i < 20; i++) {
                net.unacknowledged(x, NodeKeyPair.generate().id(), 10_000);
            }
            net.unacknowledged(x, net.self(), 10_000);
            NodeId phantom = NodeKeyPair.generate().id();
            net.add(x.next(new EventBody.ServiceAcknowledged(JobId.random(), phantom, 1,
                    EventId.ofEnvelope(new byte[] {1})), net.clock.get()));
            net.flush(engine);
            // and H itself writes proposals to requesters that never acknowledge
            for (int i = 0; i < 5; i++) {
                net.store.append(FeedBuilder.proposal(NodeKeyPair.generate().id(), 10_000_000)).join();
            }
            net.awaitSeen(engine);
            net.clock.addAndGet(1_000);

            // then
            assertThat(engine.trust(x.id())).isZero();
            assertThat(engine.karma(x.id())).isZero();
            assertThat(engine.ranked(x.id())).isEmpty();
            assertThat(net.store.account(x.id()).balanceMilli()).isZero();
            assertThat(net.store.account(net.self()).balanceMilli()).isZero();
            assertThat(engine.ranked(net.self()).orElseThrow().balanceMilli()).isZero();
            assertThat(engine.settledReceipts()).isZero();
            assertThat(engine.pendingHalves()).isEqualTo(21 + 1 + 5); // every half X and H wrote stays pending
        }
    }

    /** Sybil i serves Sybils i+1 .. i+10 (mod 50), 1000 credits each, all acknowledged. */
    private static List<KarmaNet.Feed> sybilRing(KarmaNet net) {
        List<KarmaNet.Feed> sybils = new ArrayList<>();
        for (int i = 0; i < SYBILS; i++) {
            sybils.add(new KarmaNet.Feed());
        }
        for (int i = 0; i < SYBILS; i++) {
            for (int k = 1; k <= 10; k++) {
                net.receipt(sybils.get(i), sybils.get((i + k) % SYBILS), 1_000, 0);
            }
        }
        return sybils;
    }
}
