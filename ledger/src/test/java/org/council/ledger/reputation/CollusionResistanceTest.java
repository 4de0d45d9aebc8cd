package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.council.ledger.reputation.KarmaNet.DAY;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attackers against the newcomer budget, net flow, the vouched balance and the quality term. */
class CollusionResistanceTest {

    @TempDir
    Path dir;

    /** Honest history 15 days old (past probation): P0..P4 served H 4 × 100; P1 used 600 of P3's service. */
    private static List<KarmaNet.Feed> honestBase(KarmaNet net) {
        List<KarmaNet.Feed> honest = new ArrayList<>();
        net.clock.set(KarmaNet.NOW - 15 * DAY);
        for (int i = 0; i < 5; i++) {
            KarmaNet.Feed p = new KarmaNet.Feed();
            honest.add(p);
            for (int k = 0; k < 4; k++) {
                net.servedSelf(p, 100, 0);
            }
        }
        for (int k = 0; k < 6; k++) {
            net.receipt(honest.get(3), honest.get(1), 100, 0);
        }
        net.flush();
        net.clock.set(KarmaNet.NOW);
        return honest;
    }

    /** Runs {@code attack} (or not) on a fresh base world; returns {trust, karma} of every honest peer. */
    private double[][] standing(String name, boolean attack, BiConsumer<KarmaNet, List<KarmaNet.Feed>> attacker) {
        try (KarmaNet net = new KarmaNet(dir.resolve(name))) {
            List<KarmaNet.Feed> honest = honestBase(net);
            if (attack) {
                attacker.accept(net, honest);
            }
            net.flush();
            KarmaEngine engine = net.engine();
            double[][] out = new double[2][honest.size()];
            for (int i = 0; i < honest.size(); i++) {
                out[0][i] = engine.trust(honest.get(i).id());
                out[1][i] = engine.karma(honest.get(i).id());
            }
            return out;
        }
    }

    @Test
    void tradingReceiptsWithOwnSybilsRaisesNeitherTrustNorKarma() {
        BiConsumer<KarmaNet, List<KarmaNet.Feed>> cycle = (net, honest) -> {
            for (int s = 0; s < 10; s++) {
                KarmaNet.Feed sybil = new KarmaNet.Feed();
                for (int k = 0; k < 2; k++) {
                    net.receipt(sybil, honest.get(0), 50, 0); // A = P0 requested from its Sybil
                    net.receipt(honest.get(0), sybil, 50, 0); // and served it as much
                }
            }
        };
        double[][] without = standing("without", false, cycle);
        double[][] with = standing("with", true, cycle);

        assertThat(with[0][0]).isLessThanOrEqualTo(without[0][0] * 1.0001);
        for (int i = 1; i < 5; i++) {
            assertThat(with[1][i]).isGreaterThanOrEqualTo(0.95 * without[1][i]);
        }
    }

    @Test
    void aLongerCycleThroughBackdatedSybilsGivesNothingBack() {
        BiConsumer<KarmaNet, List<KarmaNet.Feed>> cycle = (net, honest) -> {
            // A -> S1 -> S2 -> A, all signed 15 days ago: out of probation, not cancelled by net flow
            KarmaNet.Feed a = honest.get(0);
            KarmaNet.Feed s1 = new KarmaNet.Feed();
            KarmaNet.Feed s2 = new KarmaNet.Feed();
            net.clock.set(KarmaNet.NOW - 15 * DAY);
            for (int k = 0; k < 4; k++) {
                net.receipt(s1, a, 100, 0);
                net.receipt(s2, s1, 100, 0);
                net.receipt(a, s2, 100, 0);
            }
            net.clock.set(KarmaNet.NOW);
        };
        double[][] without = standing("without", false, cycle);
        double[][] with = standing("with", true, cycle);

        assertThat(with[0][0]).isLessThanOrEqualTo(without[0][0] * 1.0001);
        for (int i = 1; i < 5; i++) {
            assertThat(with[1][i]).isGreaterThanOrEqualTo(0.95 * without[1][i]);
        }
    }

    @Test
    void sybilsRequestingFromAPeerInDebtDoNotPumpItsKarma() {
        BiConsumer<KarmaNet, List<KarmaNet.Feed>> pump = (net, honest) -> {
            for (int s = 0; s < 30; s++) {
                net.receipt(honest.get(1), new KarmaNet.Feed(), 10, 0); // B = P1 served a Sybil 10 credits
            }
        };
        double[][] without = standing("without", false, pump);
        double[][] with = standing("with", true, pump);

        assertThat(with[1][1]).isGreaterThan(0).isLessThanOrEqualTo(without[1][1] * 1.0001);
    }

    @Test
    void twentyFreshIdentitiesShareOneNewcomerBudgetAndCouncilsRankingThemLastCutThemOff() {
        try (KarmaNet net = new KarmaNet(dir)) {
            List<KarmaNet.Feed> honest = honestBase(net);
            List<KarmaNet.Feed> fresh = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                KarmaNet.Feed g = new KarmaNet.Feed();
                fresh.add(g);
                net.servedSelf(g, 100, 0);
            }
            net.flush();
            KarmaEngine engine = net.engine();
            double budget = KarmaConfig.defaults().newcomerBudgetCredits() / KarmaConfig.defaults().saturationCredits();
            assertThat(share(engine, net.self(), fresh)).isGreaterThan(0).isLessThanOrEqualTo(budget + 1e-9);

            // H's councils: honest P0, P1 and each fresh identity, which the reviewers rank last
            for (KarmaNet.Feed g : fresh) {
                rate(net, List.of(honest.get(0).id(), honest.get(1).id(), g.id()), List.of(1000, 1500, 2000));
            }
            net.clock.addAndGet(1_000);
            KarmaEngine ranked = net.engine();
            assertThat(share(ranked, net.self(), fresh)).isZero();
            assertThat(fresh).allMatch(g -> ranked.karma(g.id()) == 0);
            assertThat(ranked.karma(honest.get(0).id())).isGreaterThan(1);
        }
    }

    @Test
    void whatARatingWithholdsFromGarbageNewcomersIsNotHandedBackByTheBudget() {
        try (KarmaNet net = new KarmaNet(dir)) {
            List<KarmaNet.Feed> honest = honestBase(net);
            List<KarmaNet.Feed> fresh = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                KarmaNet.Feed g = new KarmaNet.Feed();
                fresh.add(g);
                net.servedSelf(g, 100, 0);
            }
            KarmaNet.Feed newcomer = new KarmaNet.Feed();
            net.servedSelf(newcomer, 100, 0);
            net.flush();
            double unranked = share(net.engine(), net.self(), fresh);

            // every garbage server ranked 1.75 of positions 1..2: quality 0.25, multiplier 0.5;
            // the honest newcomer ranked first keeps multiplier 1
            for (KarmaNet.Feed g : fresh) {
                rate(net, List.of(honest.get(0).id(), honest.get(1).id(), g.id()), List.of(1000, 1250, 1750));
            }
            rate(net, List.of(newcomer.id(), honest.get(0).id(), honest.get(1).id()), List.of(1000, 1500, 2000));
            net.clock.addAndGet(1_000);
            double ranked = share(net.engine(), net.self(), fresh);

            // half the evidence, half the share (up to H's row sum shrinking a little); were the
            // budget divided by evidence after quality, the garbage would keep about 0.95 of it
            assertThat(ranked).isGreaterThan(0).isLessThan(0.55 * unranked);
        }
    }

    @Test
    void aRatingInAnotherFeedDoesNotTouchThisNodesEdges() {
        try (KarmaNet net = new KarmaNet(dir)) {
            List<KarmaNet.Feed> honest = honestBase(net);
            KarmaEngine before = net.engine();
            double c = before.localTrust(net.self(), honest.get(2).id());
            // P0 claims a council that ranked P2 last: only P0's own edges may change
            KarmaNet.Feed p0 = honest.get(0);
            net.add(p0.next(new EventBody.Rating(JobId.random(), List.of(
                    new EventBody.RatedMember(honest.get(1).id(), 1000, 2),
                    new EventBody.RatedMember(honest.get(3).id(), 1000, 2),
                    new EventBody.RatedMember(honest.get(2).id(), 2000, 2))), net.clock.get()));
            net.flush();
            assertThat(net.engine().localTrust(net.self(), honest.get(2).id())).isCloseTo(c, within(1e-12));
        }
    }

    /**
     * The quality example of docs/reputation.md: H requested 200 credits from each of A, B, C 14
     * days ago (decayed to 50, out of probation); two councils of H ranked them (mean ranks)
     * A 1.0, B 1.5, C 2.0 and A 2.0, B 1.0, C 1.5. Mean qualities 0.5, 0.75, 0.25: multipliers 1, 1, 0.5.
     */
    @Test
    void theDocumentedQualityExample() {
        try (KarmaNet net = new KarmaNet(dir)) {
            net.clock.set(KarmaNet.NOW - 14 * DAY);
            KarmaNet.Feed a = new KarmaNet.Feed();
            KarmaNet.Feed b = new KarmaNet.Feed();
            KarmaNet.Feed c = new KarmaNet.Feed();
            for (KarmaNet.Feed f : List.of(a, b, c)) {
                net.servedSelf(f, 200, 0);
            }
            net.flush();
            net.clock.set(KarmaNet.NOW);
            rate(net, List.of(a.id(), b.id(), c.id()), List.of(1000, 1500, 2000));
            rate(net, List.of(a.id(), b.id(), c.id()), List.of(2000, 1000, 1500));
            KarmaEngine engine = net.engine();

            // w = 50, 50, 25: c = 0.4, 0.4, 0.2; t_A = t_B = 0.32 t_H, t_C = 0.16 t_H, t_H = 1 / 1.8
            assertThat(engine.localTrust(net.self(), a.id())).isCloseTo(0.4, within(1e-9));
            assertThat(engine.localTrust(net.self(), c.id())).isCloseTo(0.2, within(1e-9));
            assertThat(engine.trust(net.self())).isCloseTo(0.555556, within(1e-5));
            assertThat(engine.trust(a.id())).isCloseTo(0.177778, within(1e-5));
            assertThat(engine.trust(c.id())).isCloseTo(0.088889, within(1e-5));
            // karma = 10 · min(1, t / t_A) · (1 + 0.5 tanh(200 / 100))
            assertThat(engine.karma(a.id())).isCloseTo(14.8201, within(1e-4));
            assertThat(engine.karma(b.id())).isCloseTo(14.8201, within(1e-4));
            assertThat(engine.karma(c.id())).isCloseTo(7.4101, within(1e-4));
        }
    }

    /**
     * The reviewer-trust example of docs/reputation.md: P, G1, G2 each served H 200 credits 14 days
     * ago (50 after decay, out of probation); H's council of H, P, G1, G2 recorded the trust-weighted
     * mean ranks of node.council.Rankings (ReviewerTrustExampleTest): H 1.111, P 1.182, G1 2.405,
     * G2 2.514. Multipliers 1, 0.595, 0.486; with equal weights (P 2.333, G 2.0) they would be
     * 0.667, 1, 1.
     */
    @Test
    void theDocumentedReviewerTrustExample() {
        for (boolean weighted : new boolean[] {true, false}) {
            try (KarmaNet net = new KarmaNet(dir.resolve(weighted ? "weighted" : "equal"))) {
                net.clock.set(KarmaNet.NOW - 14 * DAY);
                KarmaNet.Feed p = new KarmaNet.Feed();
                KarmaNet.Feed g1 = new KarmaNet.Feed();
                KarmaNet.Feed g2 = new KarmaNet.Feed();
                for (KarmaNet.Feed f : List.of(p, g1, g2)) {
                    net.servedSelf(f, 200, 0);
                }
                net.flush();
                net.clock.set(KarmaNet.NOW);
                rate(net, List.of(net.self(), p.id(), g1.id(), g2.id()),
                        weighted ? List.of(1111, 1182, 2405, 2514) : List.of(1667, 2333, 2000, 2000));
                KarmaEngine engine = net.engine();

                if (weighted) {
                    // w = 50, 29.75, 24.3 (sum 104.05): c = 0.480538, 0.285920, 0.233542
                    assertThat(engine.localTrust(net.self(), p.id())).isCloseTo(50 / 104.05, within(1e-9));
                    assertThat(engine.localTrust(net.self(), g1.id())).isCloseTo(29.75 / 104.05, within(1e-9));
                    assertThat(engine.localTrust(net.self(), g2.id())).isCloseTo(24.3 / 104.05, within(1e-9));
                } else {
                    // w = 33.35, 50, 50 (sum 133.35): the Sybils would hold 0.75 of H's outgoing trust
                    assertThat(engine.localTrust(net.self(), p.id())).isCloseTo(33.35 / 133.35, within(1e-9));
                    assertThat(engine.localTrust(net.self(), g1.id())).isCloseTo(50 / 133.35, within(1e-9));
                }
            }
        }
    }

    private static double share(KarmaEngine engine, NodeId rater, List<KarmaNet.Feed> targets) {
        return targets.stream().mapToDouble(t -> engine.localTrust(rater, t.id())).sum();
    }

    private static void rate(KarmaNet net, List<NodeId> members, List<Integer> meanRankMilli) {
        List<EventBody.RatedMember> rated = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            rated.add(new EventBody.RatedMember(members.get(i), meanRankMilli.get(i), 2));
        }
        net.store.append(new EventBody.Rating(JobId.random(), rated)).join();
    }
}
