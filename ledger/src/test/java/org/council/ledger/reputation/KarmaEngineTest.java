package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.council.ledger.reputation.KarmaNet.DAY;

import java.nio.file.Path;
import java.util.List;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KarmaEngineTest {

    @TempDir
    Path dir;

    @Test
    void newReceiptsChangeKarmaWithoutRescanningTheLog() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaEngine engine = net.engine();
            KarmaNet.Feed p = new KarmaNet.Feed();
            KarmaNet.Feed q = new KarmaNet.Feed();
            assertThat(engine.karma(p.id())).isZero();

            net.servedSelf(p, 10, 0);
            net.flush(engine);
            net.clock.addAndGet(1_000);
            assertThat(engine.karma(p.id())).isGreaterThan(0);
            double pTrustAlone = engine.trust(p.id());

            net.servedSelf(q, 30, 0);
            net.flush(engine);
            net.clock.addAndGet(1_000);
            assertThat(engine.trust(q.id())).isGreaterThan(engine.trust(p.id()));
            assertThat(engine.trust(p.id())).isLessThan(pTrustAlone);
            assertThat(engine.rescans()).isEqualTo(1);
            assertThat(engine.recomputations()).isEqualTo(3);

            // the incremental result equals a rebuild from the log
            KarmaEngine rebuilt = net.engine();
            for (Ranked r : rebuilt.ranking()) {
                assertThat(engine.trust(r.id())).isCloseTo(r.trust(), within(1e-5));
                assertThat(engine.karma(r.id())).isCloseTo(r.karma(), within(1e-3));
            }
        }
    }

    @Test
    void aBurstOfAThousandEventsCostsAtMostACoupleOfRecomputations() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaNet.Feed p = new KarmaNet.Feed();
            KarmaNet.Feed q = new KarmaNet.Feed();
            net.servedSelf(q, 10, 0);
            net.flush();
            KarmaEngine engine = net.engine();
            long before = engine.recomputations();
            assertThat(engine.karma(p.id())).isZero();

            // when: 500 receipts (1000 events) in 20 commits, read after each, 40 ms apart
            for (int chunk = 0; chunk < 20; chunk++) {
                for (int i = 0; i < 25; i++) {
                    net.receipt(p, q, 1, 0); // Q requested from P
                }
                net.flush(engine);
                net.clock.addAndGet(40);
                engine.karma(p.id());
                engine.ranking();
            }
            net.clock.addAndGet(1_000);

            // then
            assertThat(engine.karma(p.id())).isGreaterThan(0);
            assertThat(engine.settledReceipts()).isEqualTo(501);
            assertThat(engine.recomputations() - before).isBetween(1L, 2L);
            assertThat(engine.rescans()).isEqualTo(1);
        }
    }

    @Test
    void olderReceiptsWeighLessAndKeepFadingAsTheClockMoves() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaNet.Feed old = new KarmaNet.Feed();
            KarmaNet.Feed recent = new KarmaNet.Feed();
            net.servedSelf(old, 40, 14 * DAY);  // two half-lives: weighs 10
            net.servedSelf(recent, 40, 0);      // weighs 40
            net.flush();
            KarmaEngine engine = net.engine();

            double recentTrust = engine.trust(recent.id());
            assertThat(engine.trust(old.id()) / recentTrust).isCloseTo(0.25, within(1e-9));
            assertThat(engine.karma(old.id())).isLessThan(engine.karma(recent.id()));

            // a week later, with no new event, both have halved relative to H's saturation
            net.clock.addAndGet(7 * DAY);
            assertThat(engine.trust(recent.id())).isLessThan(recentTrust);
            assertThat(engine.trust(old.id()) / engine.trust(recent.id())).isCloseTo(0.25, within(1e-9));
        }
    }

    @Test
    void aProvenEquivocatorDropsToTheFloor() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaNet.Feed p = new KarmaNet.Feed();
            KarmaNet.Feed q = new KarmaNet.Feed();
            net.servedSelf(p, 30, 0);
            net.servedSelf(q, 10, 0);
            net.flush();
            KarmaEngine engine = net.engine();
            assertThat(engine.karma(p.id())).isGreaterThan(engine.karma(q.id()));

            // when: P signs a second, different event at seq 1
            SignedEvent fork = EventCodec.sign(p.keys, 1, null, net.clock.get(), FeedBuilder.capabilities("m"));
            List<IngestOutcome> outcome = net.store.ingest(List.of(fork.envelope())).join();
            assertThat(outcome.get(0)).isInstanceOf(IngestOutcome.ForkDetected.class);

            // then: once the proof is in H's feed, P is at 0 and Q is the best-trusted peer
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (engine.karma(p.id()) > 0 && System.nanoTime() < deadline) {
                net.clock.addAndGet(1_000);
                Thread.onSpinWait();
            }
            assertThat(engine.karma(p.id())).isZero();
            assertThat(engine.trust(p.id())).isZero();
            assertThat(engine.ranked(p.id()).orElseThrow().equivocator()).isTrue();
            assertThat(engine.karma(q.id())).isGreaterThan(0);
            assertThat(engine.ranking().get(0).id()).isEqualTo(q.id());
            assertThat(KarmaEngine.start(net.store, net.config(), List.of(p.id())).karma(p.id())).isZero();
        }
    }

    @Test
    void operatorTrustedPeersArePreTrustedAndTheSetCanChangeAtRuntime() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaNet.Feed t = new KarmaNet.Feed();
            KarmaNet.Feed servedByT = new KarmaNet.Feed();
            net.receipt(servedByT, t, 50, 0); // T requested from S: T's trust flows to S
            net.flush();
            KarmaEngine engine = net.engine();
            assertThat(engine.karma(t.id())).isZero();
            assertThat(engine.karma(servedByT.id())).isZero();

            engine.setTrusted(List.of(t.id()));
            assertThat(engine.trusted()).containsExactly(t.id());
            assertThat(engine.karma(t.id())).isGreaterThan(0);
            assertThat(engine.karma(servedByT.id())).isGreaterThan(0);

            engine.setTrusted(List.of());
            assertThat(engine.karma(t.id())).isZero();
            assertThat(engine.karma(servedByT.id())).isZero();
        }
    }

    @Test
    void readsFromManyThreadsWhileEventsArriveSeeConsistentResults() throws Exception {
        try (KarmaNet net = new KarmaNet(dir)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            KarmaEngine engine = KarmaEngine.start(net.store, net.config(), List.of(), pool);
            KarmaNet.Feed p = new KarmaNet.Feed();
            KarmaNet.Feed q = new KarmaNet.Feed();
            net.servedSelf(q, 10, 0);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread[] readers = new Thread[4];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            List<Ranked> ranking = engine.ranking(); // one snapshot: sorted, shares below 1
                            assertThat(ranking).isSortedAccordingTo(
                                    java.util.Comparator.comparingDouble(Ranked::karma).reversed());
                            assertThat(ranking.stream().mapToDouble(Ranked::trust).sum()).isLessThan(1.0);
                            assertThat(engine.trust(net.self())).isBetween(0.0, 1.0);
                            net.clock.addAndGet(1);
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                readers[r].start();
            }
            for (int chunk = 0; chunk < 10; chunk++) {
                for (int i = 0; i < 20; i++) {
                    net.receipt(p, q, 1, 0);
                }
                net.flush(engine);
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            net.clock.addAndGet(1_000);
            long deadline = System.nanoTime() + 10_000_000_000L;
            KarmaEngine rebuilt = net.engine();
            while (Math.abs(engine.trust(p.id()) - rebuilt.trust(p.id())) > 1e-5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(engine.trust(p.id())).isCloseTo(rebuilt.trust(p.id()), within(1e-5));
            pool.shutdownNow();
        }
    }

    @Test
    void refreshedBringsAResultThatIsNotYetDueUpToDate() {
        try (KarmaNet net = new KarmaNet(dir)) {
            KarmaEngine engine = net.engine();
            assertThat(engine.karma(net.self())).isPositive(); // the first result exists
            KarmaNet.Feed server = new KarmaNet.Feed();
            net.servedSelf(server, 50, 0);
            net.flush(engine);

            // the clock has not moved: the minimum recompute interval keeps the old result
            assertThat(engine.karma(server.id())).isZero();
            assertThat(engine.refreshed().karma(server.id())).isPositive();
        }
    }
}
