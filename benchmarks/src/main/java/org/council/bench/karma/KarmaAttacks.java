package org.council.bench.karma;

import static org.council.bench.karma.KarmaWorld.DAY;
import static org.council.bench.karma.KarmaWorld.NOW;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.council.bench.karma.KarmaWorld.Feed;
import org.council.crypto.NodeId;
import org.council.ledger.reputation.KarmaEngine;

/**
 * The attacks of {@code scripts/bench karma}, each on fresh real ledgers under one scratch
 * directory: the honest base history ({@link Base}), then the attack at {@code NOW}, then H's
 * engine built by a scan. Each returns the fields of its result line ({@code value} first).
 */
final class KarmaAttacks {

    private final Path root;
    private int worlds;

    KarmaAttacks(Path root) {
        this.root = root;
    }

    /** A fresh world with the honest base history; {@code attack} runs at NOW and gives the result. */
    <T> T world(Function<Base, T> attack) {
        try (KarmaWorld w = new KarmaWorld(root.resolve("w" + worlds++))) {
            Base base = new Base(w);
            return attack.apply(base);
        }
    }

    static final class Base {
        final KarmaWorld w;
        final List<Feed> honest = KarmaWorld.feeds(5);

        Base(KarmaWorld w) {
            this.w = w;
            w.clock.set(NOW - 15 * DAY);
            for (Feed p : honest) {
                for (int i = 0; i < 4; i++) {
                    w.servedSelf(p, 100);
                }
            }
            for (int i = 0; i < honest.size(); i++) {
                w.receipt(honest.get(i), honest.get((i + 1) % honest.size()), 20);
                w.receipt(honest.get(i), honest.get((i + 1) % honest.size()), 20);
            }
            for (int i = 0; i < 6; i++) {
                w.receipt(honest.get(3), honest.get(1), 100); // B = P1 used P3's service: in debt
            }
            w.flush();
            w.clock.set(NOW);
        }

        double minHonestKarma(KarmaEngine e) {
            return honest.stream().mapToDouble(p -> e.karma(p.id())).min().orElseThrow();
        }
    }

    /** 50 Sybils, each serving the next ten 1000 credits and proposing 1000 to H (unacknowledged). */
    private static List<Feed> ring(KarmaWorld w) {
        List<Feed> sybils = KarmaWorld.feeds(50);
        for (int i = 0; i < sybils.size(); i++) {
            for (int k = 1; k <= 10; k++) {
                w.receipt(sybils.get(i), sybils.get((i + k) % sybils.size()), 1_000);
            }
            w.unacknowledged(sybils.get(i), 1_000);
        }
        return sybils;
    }

    /**
     * value: the best Sybil's karma over the weakest honest peer's. With a leaked edge (honest
     * P0 acknowledged one 10-credit job of Sybil S0), also S0's karma over that of an honest
     * newcomer Q that served P0 the same job ({@code leaker_vs_same_work}) and the ring's
     * total trust over Q's ({@code ring_trust_vs_same_work}).
     */
    Map<String, Object> ring(boolean leak) {
        return world(b -> {
            List<Feed> sybils = ring(b.w);
            Feed q = new Feed();
            if (leak) {
                b.w.receipt(sybils.get(0), b.honest.get(0), 10);
                b.w.receipt(q, b.honest.get(0), 10);
            }
            KarmaEngine e = b.w.engine();
            double best = sybils.stream().mapToDouble(s -> e.karma(s.id())).max().orElseThrow();
            double ringTrust = sybils.stream().mapToDouble(s -> e.trust(s.id())).sum();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("value", best / b.minHonestKarma(e));
            out.put("reference", "weakest honest peer");
            out.put("trust_share", ringTrust);
            if (leak) {
                out.put("leaker_vs_same_work", e.karma(sybils.get(0).id()) / e.karma(q.id()));
                out.put("ring_trust_vs_same_work", ringTrust / e.trust(q.id()));
            }
            return out;
        });
    }

    /**
     * 20 fresh identities each serve H one 100-credit job; each then sits in one of H's councils
     * (H, P0, P1, P2, the identity and the next one as its accomplice), where the honest reviewers
     * rank it last and its accomplice just above, and the two rank each other first. Honest
     * newcomer R serves H the same job and is ranked first in a council of H, P0, P1, P2 and R.
     * H records each rating through the node's real Rankings, weighting reviewers by H's karma for
     * them (taken before the ratings). value: the garbage servers' share of H's outgoing trust, the
     * figure issue 12 bounds (≤ 0.10); karma_vs_same_work: the best garbage server's karma over R's;
     * unranked_trust_share: the share before any rating (newcomer budget alone); equal_weight_*:
     * the same figures with every reviewer counted the same (the former rule).
     */
    Map<String, Object> garbageServers() {
        Map<String, Object> out = world(b -> garbage(b, true, true));
        out.put("unranked_trust_share", world(b -> garbage(b, false, false)).get("value"));
        Map<String, Object> equal = world(b -> garbage(b, true, false));
        out.put("equal_weight_trust_share", equal.get("value"));
        out.put("equal_weight_karma_vs_same_work", equal.get("karma_vs_same_work"));
        return out;
    }

    private static Map<String, Object> garbage(Base b, boolean rank, boolean byTrust) {
        List<Feed> bad = KarmaWorld.feeds(20);
        Feed r = new Feed();
        NodeId h = b.w.self();
        for (Feed g : bad) {
            b.w.servedSelf(g, 100);
        }
        b.w.servedSelf(r, 100);
        if (rank) {
            KarmaEngine before = b.w.engine();
            ToDoubleFunction<NodeId> trust = byTrust ? before::karma : KarmaCouncils.EQUAL;
            List<NodeId> honest = b.honest.subList(0, 3).stream().map(Feed::id).toList();
            for (int i = 0; i < bad.size(); i++) {
                NodeId accomplice = bad.get((i + 1) % bad.size()).id();
                b.w.rate(KarmaCouncils.garbageCouncil(h, honest, bad.get(i).id(), accomplice, trust));
            }
            b.w.rate(KarmaCouncils.honestCouncil(h, honest, r.id(), trust));
        }
        KarmaEngine e = b.w.engine();
        double all = 0;
        for (Feed p : b.honest) {
            all += e.localTrust(h, p.id());
        }
        all += e.localTrust(h, r.id());
        double attackers = bad.stream().mapToDouble(g -> e.localTrust(h, g.id())).sum();
        all += attackers;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", attackers / all);
        out.put("reference", "share of H's outgoing trust (not a karma ratio)");
        out.put("karma_vs_same_work", bad.stream().mapToDouble(g -> e.karma(g.id())).max().orElseThrow()
                / e.karma(r.id()));
        return out;
    }

    /**
     * Honest peer A (P0) trades receipts with its Sybils: each Sybil serves A two 50-credit
     * jobs and A serves it two. value: A's trust with the cycle over A's trust without it;
     * honest_keep: the smallest ratio of another honest peer's karma with over without.
     */
    Map<String, Object> cycle(int sybils) {
        return cycleRun("A without the cycle", (b, a) -> {
            for (Feed s : KarmaWorld.feeds(sybils)) {
                for (int i = 0; i < 2; i++) {
                    b.w.receipt(s, a, 50);
                    b.w.receipt(a, s, 50);
                }
            }
        });
    }

    /**
     * A longer cycle, which net flow does not cancel: A requests from S1, S1 from S2, S2 from A,
     * 4 × 100 credits per link, signed now or (colluders sign what they like) backdated 15 days
     * so that no link is in probation.
     */
    Map<String, Object> cycle3(boolean backdated) {
        return cycleRun("A without the cycle", (b, a) -> {
            List<Feed> s = KarmaWorld.feeds(2);
            long ts = backdated ? NOW - 15 * DAY : NOW;
            for (int i = 0; i < 4; i++) {
                b.w.receiptAt(s.get(0), a, 100, ts);
                b.w.receiptAt(s.get(1), s.get(0), 100, ts);
                b.w.receiptAt(a, s.get(1), 100, ts);
            }
        });
    }

    private Map<String, Object> cycleRun(String reference, BiConsumer<Base, Feed> attack) {
        double[][] karma = new double[2][4];
        double[] trustA = new double[2];
        for (int run = 0; run < 2; run++) {
            int r = run;
            world(b -> {
                Feed a = b.honest.get(0);
                if (r == 1) {
                    attack.accept(b, a);
                }
                KarmaEngine e = b.w.engine();
                trustA[r] = e.trust(a.id());
                for (int i = 1; i < b.honest.size(); i++) {
                    karma[r][i - 1] = e.karma(b.honest.get(i).id());
                }
                return null;
            });
        }
        double keep = Double.POSITIVE_INFINITY;
        for (int i = 0; i < karma[0].length; i++) {
            keep = Math.min(keep, karma[1][i] / karma[0][i]);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", trustA[1] / trustA[0]);
        out.put("reference", reference);
        out.put("honest_keep", keep);
        out.put("honest_keep_bound", 0.95);
        return out;
    }

    /**
     * Balance pumping: 30 Sybils each request 10 credits of service from B (P1, in debt) and
     * acknowledge it. value: B's karma with the pumping over without.
     */
    Map<String, Object> pumping() {
        double[] karmaB = new double[2];
        for (int run = 0; run < 2; run++) {
            boolean attack = run == 1;
            int r = run;
            world(b -> {
                Feed victim = b.honest.get(1);
                if (attack) {
                    for (Feed s : KarmaWorld.feeds(30)) {
                        b.w.receipt(victim, s, 10);
                    }
                }
                karmaB[r] = b.w.engine().karma(victim.id());
                return null;
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", karmaB[1] / karmaB[0]);
        out.put("reference", "B without the pumping");
        out.put("karma_without", karmaB[0]);
        return out;
    }
}
