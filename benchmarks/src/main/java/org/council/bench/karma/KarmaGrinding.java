package org.council.bench.karma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.council.bench.karma.KarmaWorld.Feed;
import org.council.crypto.NodeId;
import org.council.ledger.reputation.KarmaEngine;
import org.council.node.council.Candidate;
import org.council.node.council.Member;
import org.council.node.council.MemberSelector;
import org.council.node.routing.NetworkChat;

/** Id grinding against the real choice functions, with karma from H's real engine. */
final class KarmaGrinding {

    private static final int DRAWS = 1_000_000;

    private final KarmaAttacks attacks;

    KarmaGrinding(KarmaAttacks attacks) {
        this.attacks = attacks;
    }

    /**
     * K = 20 strangers (karma 0 at H, from H's real engine) offer a model; the attacker ground
     * the smallest id, which sorts first. NetworkChat's choice function draws a server
     * {@value #DRAWS} times. value: the attacker's share of the jobs times K (1 = its fair 1/K).
     */
    Map<String, Object> grindRouting() {
        return attacks.world(b -> {
            List<NodeId> strangers = strangers(b);
            NodeId attacker = strangers.get(0);
            KarmaEngine e = b.w.engine();
            Random random = new Random(12);
            long wins = 0;
            for (int d = 0; d < DRAWS; d++) {
                wins += NetworkChat.choosePeer(strangers, e::karma, random).orElseThrow().equals(attacker) ? 1 : 0;
            }
            return grindResult(wins, DRAWS, 1.0 / strangers.size());
        });
    }

    /** As {@link #grindRouting()}, for the three seats MemberSelector draws among the K strangers. */
    Map<String, Object> grindCouncil() {
        return attacks.world(b -> {
            List<NodeId> strangers = strangers(b);
            NodeId attacker = strangers.get(0);
            KarmaEngine e = b.w.engine();
            List<Candidate> candidates = new ArrayList<>();
            for (NodeId id : strangers) {
                candidates.add(new Candidate(id, List.of("m"), e.karma(id), false));
            }
            MemberSelector selector = new MemberSelector();
            Random random = new Random(13);
            int councils = DRAWS / 10;
            long seats = 0;
            for (int d = 0; d < councils; d++) {
                for (Member m : selector.select(candidates, Set.of(), 3, random)) {
                    seats += m.node().equals(attacker) ? 1 : 0;
                }
            }
            return grindResult(seats, councils, 3.0 / strangers.size());
        });
    }

    private static List<NodeId> strangers(KarmaAttacks.Base b) {
        return KarmaWorld.feeds(20).stream().map(Feed::id).sorted().toList();
    }

    private static Map<String, Object> grindResult(long wins, int draws, double fair) {
        double share = (double) wins / draws;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", share / fair);
        out.put("reference", "fair share 1/K among K = 20 equal candidates");
        out.put("share", share);
        out.put("fair_share", fair);
        out.put("stderr_x", Math.sqrt(fair * (1 - fair) / draws) / fair);
        out.put("draws", draws);
        return out;
    }
}
