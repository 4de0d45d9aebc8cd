package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.council.node.council.CouncilFixtures.member;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody.RatedMember;
import org.junit.jupiter.api.Test;

/**
 * The reviewer-trust example of docs/reputation.md ("Quality"), number for number: H asks a council
 * of four, H itself, honest P and two Sybils G1 and G2 that rank each other first and the honest
 * answers last. H's karma for the reviewers: itself 10, P 8, G1 and G2 0.5 each.
 */
class ReviewerTrustExampleTest {

    private static final Member H = member(1, "h", 0);
    private static final Member P = member(2, "p", 8);
    private static final Member G1 = member(3, "g1", 0.5);
    private static final Member G2 = member(4, "g2", 0.5);
    private static final Map<NodeId, Double> KARMA_AT_H = Map.of(H.node(), 10.0, P.node(), 8.0,
            G1.node(), 0.5, G2.node(), 0.5);

    private static final List<Review> REVIEWS = List.of(
            review(H, P, G1, G2),
            review(P, H, G2, G1),
            review(G1, G2, H, P),
            review(G2, G1, H, P));

    @Test
    void trustWeightedRanksLeaveTheHonestMemberWholeAndCutTheSybils() {
        // P: (10·1 + 0.5·3 + 0.5·3) / 11 = 1.1818; G1: (10·2 + 8·3 + 0.5·1) / 18.5 = 2.4054;
        // G2: (10·3 + 8·2 + 0.5·1) / 18.5 = 2.5135; H (its own entry, ignored by the ledger): 10 / 9
        assertThat(Rankings.rated(REVIEWS, KARMA_AT_H::get)).containsExactly(
                new RatedMember(H.node(), 1111, 3),
                new RatedMember(P.node(), 1182, 3),
                new RatedMember(G1.node(), 2405, 3),
                new RatedMember(G2.node(), 2514, 3));
        // quality (3 − r) / 2 and multiplier min(1, 2q): P 0.909 → 1, G1 0.2975 → 0.595, G2 0.243 → 0.486
        assertThat(multiplier(2405)).isEqualTo(0.595, within(1e-9));
        assertThat(multiplier(2514)).isEqualTo(0.486, within(1e-9));
        assertThat(multiplier(1182)).isEqualTo(1.0);
    }

    @Test
    void countedEquallyTheSybilsWouldEscapeAndPullTheHonestMemberDown() {
        // P: (1 + 3 + 3) / 3 = 2.333 → multiplier 0.667; G1, G2: 2.0 → multiplier 1
        assertThat(Rankings.rated(REVIEWS)).containsExactly(
                new RatedMember(H.node(), 1667, 3),
                new RatedMember(G1.node(), 2000, 3),
                new RatedMember(G2.node(), 2000, 3),
                new RatedMember(P.node(), 2333, 3));
        assertThat(multiplier(2000)).isEqualTo(1.0);
        assertThat(multiplier(2333)).isEqualTo(0.667, within(1e-9));
    }

    @Test
    void strangersHaveNoSayAndANodeOnlyTheyRankedIsLeftOutWithTheRestRescaled() {
        // G1 and G2 are strangers (karma 0): only H's and P's rankings count
        Map<NodeId, Double> strangers = Map.of(H.node(), 10.0, P.node(), 8.0, G1.node(), 0.0, G2.node(), 0.0);
        assertThat(Rankings.rated(REVIEWS, strangers::get)).containsExactly(
                new RatedMember(H.node(), 1000, 1),
                new RatedMember(P.node(), 1000, 1),
                new RatedMember(G1.node(), 2444, 2),
                new RatedMember(G2.node(), 2556, 2));
        // H's review failed: G2 was ranked by P alone (2nd of 3), and P by no one trusted. Three
        // nodes listed (positions 1..2 for the ledger): G2's quality (3 − 2) / 2 = 0.5 stays 0.5,
        // written as mean position 2 − 0.5 · 1 = 1.5; G1 (P's 3rd, quality 0) stays last at 2.0.
        List<Review> failed = List.of(review(H), review(P, H, G2, G1), review(G1, G2, H, P), review(G2, G1, H, P));
        assertThat(Rankings.rated(failed, strangers::get)).containsExactly(
                new RatedMember(H.node(), 1000, 1),
                new RatedMember(G2.node(), 1500, 1),
                new RatedMember(G1.node(), 2000, 1));
    }

    /** The ledger's multiplier for a mean position among four listed nodes (GraphFeed, KarmaConfig). */
    private static double multiplier(int averageRankMilli) {
        double quality = (3 - averageRankMilli / 1000.0) / 2;
        return Math.min(1, 2 * Math.max(0, quality));
    }

    private static Review review(Member reviewer, Member... ranking) {
        Map<String, Member> labels = new LinkedHashMap<>();
        List<String> ranked = new ArrayList<>();
        List<Member> others = new ArrayList<>(List.of(H, P, G1, G2));
        others.remove(reviewer);
        for (int i = 0; i < others.size(); i++) {
            labels.put(Labels.of(i), others.get(i));
        }
        for (Member m : ranking) {
            labels.forEach((label, member) -> {
                if (member.equals(m)) {
                    ranked.add(label);
                }
            });
        }
        return new Review(reviewer, "text", labels, ranked, List.of(ranking), 1, 1);
    }
}
