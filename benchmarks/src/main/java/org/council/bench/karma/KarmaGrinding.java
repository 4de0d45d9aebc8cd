package org.council.bench.karma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.council.bench.karma.KarmaWorld.Feed;
import org.council.crypto.NodeId;
import org.council.ledger.reputation.KarmaEngine;
import org.council.ledger.reputation.WeightedDraw;
import org.council.node.council.Candidate;
import org.council.node.council.Member;
import org.council.node.council.MemberSelector;
import org.council.node.routing.NetworkChat;

/**
 * Id grinding against the real choice functions, with karma from H's real engine. The figure
 * compared with the bound is exact: the probability the real draw gives the grinder
 * ({@link WeightedDraw#chances}, {@link MemberSelector#seatChances}), not a count of draws. A
 * sampled run of the real {@code choosePeer} / {@code select} is reported beside it with a 99.99 %
 * confidence interval, as a check that the exact figure describes what the code does.
 */
final class KarmaGrinding {

    /** The tolerance on share · K = 1: floating-point rounding of the exact chances, nothing more. */
    static final double TOLERANCE = 1e-9;
    private static final int K = 20;
    private static final int SEATS = 3;
    private static final int SAMPLED = 200_000;
    private static final int COUNCILS = SAMPLED / 4;
    /** Two-sided normal quantile of a 99.99 % interval. */
    private static final double Z = 3.8906;

    private final KarmaAttacks attacks;

    KarmaGrinding(KarmaAttacks attacks) {
        this.attacks = attacks;
    }

    /**
     * K = 20 strangers (karma 0 at H, from H's real engine) offer a model only peers serve; one of
     * them ground its id: the smallest id there is, the largest, or a random one. The candidates
     * are listed by id (so the smallest sorts first). value: the largest, over the three ids, of
     * the grinder's exact share of H's jobs under {@code NetworkChat.choosePeer}'s draw, times K.
     */
    Map<String, Object> grindRouting() {
        return attacks.world(b -> {
            KarmaEngine e = b.w.engine();
            Map<String, Object> out = new LinkedHashMap<>();
            double worst = 0;
            for (Map.Entry<String, NodeId> g : grinders().entrySet()) {
                List<NodeId> candidates = candidates(g.getValue());
                int at = candidates.indexOf(g.getValue());
                // exactly the weights choosePeer hands to WeightedDraw.pick
                double share = WeightedDraw.chances(weights(candidates, e::karma), WeightedDraw.EXPLORE)[at];
                Random random = new Random(12);
                long wins = 0;
                for (int d = 0; d < SAMPLED; d++) {
                    wins += NetworkChat.choosePeer(candidates, e::karma, random).orElseThrow()
                            .equals(g.getValue()) ? 1 : 0;
                }
                worst = Math.max(worst, share * K);
                put(out, g.getKey(), share, 1.0 / K, wins, SAMPLED);
            }
            return result(worst, out, SAMPLED);
        });
    }

    /** As {@link #grindRouting()}, for the three council seats MemberSelector draws among the K strangers. */
    Map<String, Object> grindCouncil() {
        return attacks.world(b -> {
            KarmaEngine e = b.w.engine();
            MemberSelector selector = new MemberSelector();
            Map<String, Object> out = new LinkedHashMap<>();
            double worst = 0;
            for (Map.Entry<String, NodeId> g : grinders().entrySet()) {
                List<Candidate> candidates = new ArrayList<>();
                for (NodeId id : candidates(g.getValue())) {
                    candidates.add(new Candidate(id, List.of("m"), e.karma(id), false));
                }
                double share = selector.seatChances(candidates, Set.of(), SEATS).get(g.getValue());
                Random random = new Random(13);
                int councils = COUNCILS;
                long seats = 0;
                for (int d = 0; d < councils; d++) {
                    for (Member m : selector.select(candidates, Set.of(), SEATS, random)) {
                        seats += m.node().equals(g.getValue()) ? 1 : 0;
                    }
                }
                double fair = (double) SEATS / K;
                worst = Math.max(worst, share / fair);
                put(out, g.getKey(), share, fair, seats, councils);
            }
            return result(worst, out, COUNCILS);
        });
    }

    /** The ground ids: the smallest and the largest a key can have, and an ordinary one. */
    private static Map<String, NodeId> grinders() {
        Map<String, NodeId> out = new LinkedHashMap<>();
        out.put("smallest_id", NodeId.of(new byte[NodeId.LENGTH]));
        out.put("largest_id", NodeId.fromHex("ff".repeat(NodeId.LENGTH)));
        out.put("random_id", new Feed().id());
        return out;
    }

    /** K − 1 fresh identities and the grinder, by id. */
    private static List<NodeId> candidates(NodeId grinder) {
        List<NodeId> out = new ArrayList<>(KarmaWorld.feeds(K - 1).stream().map(Feed::id).toList());
        out.add(grinder);
        out.sort(null);
        return List.copyOf(out);
    }

    private static double[] weights(List<NodeId> candidates, ToDoubleFunction<NodeId> karma) {
        return candidates.stream().mapToDouble(karma).toArray();
    }

    /** The exact share over the fair one, and the sampled share with its 99.99 % interval. */
    private static void put(Map<String, Object> out, String grinder, double share, double fair, long hits, int draws) {
        double sampled = (double) hits / draws;
        double half = Z * Math.sqrt(sampled * (1 - sampled) / draws);
        out.put(grinder + "_exact_x", share / fair);
        out.put(grinder + "_sampled_x", sampled / fair);
        out.put(grinder + "_sampled_ci9999_x", List.of((sampled - half) / fair, (sampled + half) / fair));
        out.put(grinder + "_exact_in_ci", Math.abs(share - sampled) <= half);
    }

    private static Map<String, Object> result(double worst, Map<String, Object> fields, int sampled) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", worst);
        out.put("reference", "fair share 1/K among K = " + K + " equal candidates (exact, not sampled)");
        out.put("within_bound", worst <= 1 + TOLERANCE);
        out.put("tolerance", TOLERANCE);
        out.putAll(fields);
        out.put("sampled_draws", sampled);
        return out;
    }
}
