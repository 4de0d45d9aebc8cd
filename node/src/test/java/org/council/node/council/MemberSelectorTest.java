package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.council.node.council.CouncilFixtures.member;
import static org.council.node.council.CouncilFixtures.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

class MemberSelectorTest {

    private final MemberSelector selector = new MemberSelector();

    private static Candidate peer(int n, double reputation, String... models) {
        return new Candidate(node(n), List.of(models), reputation, false);
    }

    @Test
    void prefersHigherReputation() {
        List<Candidate> candidates = List.of(peer(1, 0.2, "m"), peer(2, 0.9, "m"), peer(3, 0.5, "m"), peer(4, 0.7, "m"));

        List<Member> members = selector.select(candidates, Set.of(), 3, new Random(1));

        assertThat(members).extracting(Member::node).containsExactly(node(2), node(4), node(3));
        assertThat(members).extracting(Member::reputation).containsExactly(0.9, 0.7, 0.5);
    }

    @Test
    void atMostOneSeatPerNodeEvenWhenListedTwice() {
        List<Candidate> candidates = List.of(peer(1, 0.9, "a", "b", "c"), peer(1, 0.3, "d"), peer(2, 0.5, "a"));

        List<Member> members = selector.select(candidates, Set.of(), 4, new Random(1));

        assertThat(members).extracting(Member::node).containsExactly(node(1), node(2));
        assertThat(members.get(0).reputation()).isEqualTo(0.9);
    }

    @Test
    void filtersByAcceptableModels() {
        List<Candidate> candidates = List.of(peer(1, 0.9, "llama3"), peer(2, 0.8, "mistral", "qwen2"),
                peer(3, 0.7, "qwen2"), peer(4, 0.6, "phi3"));

        List<Member> members = selector.select(candidates, Set.of("qwen2", "mistral"), 4, new Random(1));

        assertThat(members).extracting(Member::node).containsExactly(node(2), node(3));
        assertThat(members).allMatch(m -> Set.of("qwen2", "mistral").contains(m.model()));
    }

    @Test
    void prefersDistinctModels() {
        // node 1 could serve qwen2 or mistral; node 2 only qwen2: diversity gives node 1 mistral
        List<Candidate> candidates = List.of(peer(1, 0.9, "qwen2", "mistral"), peer(2, 0.8, "qwen2"),
                peer(3, 0.7, "qwen2", "phi3"));

        List<Member> members = selector.select(candidates, Set.of(), 3, new Random(1));

        assertThat(members).extracting(Member::model).containsExactly("mistral", "qwen2", "phi3");
    }

    @Test
    void reusesAModelWhenThereIsNoOther() {
        List<Member> members = selector.select(List.of(peer(1, 0.9, "m"), peer(2, 0.8, "m")), Set.of(), 2, new Random(1));

        assertThat(members).extracting(Member::model).containsExactly("m", "m");
    }

    @Test
    void includesTheQualifyingLocalCandidateEvenWithLowReputation() {
        Candidate local = new Candidate(node(9), List.of("llama3"), 0.01, true);
        List<Candidate> candidates = List.of(peer(1, 0.9, "llama3"), peer(2, 0.8, "llama3"), peer(3, 0.7, "llama3"), local);

        List<Member> members = selector.select(candidates, Set.of(), 3, new Random(1));

        assertThat(members).extracting(Member::node).containsExactly(node(1), node(2), node(9));
    }

    @Test
    void leavesOutTheLocalCandidateWhenItServesNoAcceptableModel() {
        Candidate local = new Candidate(node(9), List.of("llama3"), 1.0, true);

        List<Member> members = selector.select(List.of(local, peer(1, 0.5, "qwen2")), Set.of("qwen2"), 3, new Random(1));

        assertThat(members).extracting(Member::node).containsExactly(node(1));
    }

    @Test
    void sameRandomSeedGivesSameMembersAndTiesAreBrokenByTheRandom() {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            candidates.add(peer(i, 0.5, "m" + (i % 3)));
        }

        List<Member> first = selector.select(candidates, Set.of(), 4, new Random(42));
        List<Member> again = selector.select(candidates, Set.of(), 4, new Random(42));
        List<List<Member>> others = new ArrayList<>();
        for (int seed = 0; seed < 10; seed++) {
            others.add(selector.select(candidates, Set.of(), 4, new Random(seed)));
        }

        assertThat(again).isEqualTo(first);
        assertThat(others).anyMatch(o -> !o.equals(first));
    }

    @Test
    void noQualifyingCandidateGivesNoMembers() {
        assertThat(selector.select(List.of(peer(1, 0.9, "a")), Set.of("b"), 3, new Random(1))).isEmpty();
    }

    @Test
    void chairmanIsTheBestReputationAmongThoseWhoAnswered() {
        Member top = member(1, "a", 0.9);
        Member second = member(2, "b", 0.7);
        Member third = member(3, "c", 0.5);
        List<Member> members = List.of(top, second, third);

        assertThat(selector.chairman(members, List.of(third, second), null)).isEqualTo(second);
        assertThat(selector.chairman(members, List.of(third, top, second), null)).isEqualTo(top);
    }

    @Test
    void configuredChairmanIsUsedUnlessItIsAMemberThatFailed() {
        Member top = member(1, "a", 0.9);
        Member second = member(2, "b", 0.7);
        Member outsider = member(7, "big-model", 0.1);
        List<Member> members = List.of(top, second);

        assertThat(selector.chairman(members, List.of(top, second), second)).isEqualTo(second);
        assertThat(selector.chairman(members, List.of(top), outsider)).isEqualTo(outsider);
        assertThat(selector.chairman(members, List.of(top), second)).isEqualTo(top);
    }

    @Test
    void seatChancesDependOnReputationOnlyNotOnIdsOrOrder() {
        double[] reputations = {4, 4, 4, 1, 1, 0, 0, 0, 2.5, 4};
        List<NodeId> ids = new ArrayList<>();
        ids.add(NodeId.of(new byte[NodeId.LENGTH]));                  // the smallest id there is
        ids.add(NodeId.fromHex("ff".repeat(NodeId.LENGTH)));           // and the largest
        for (int i = 2; i < reputations.length; i++) {
            ids.add(NodeKeyPair.generate().id());
        }
        Map<Double, Double> chanceOfReputation = new HashMap<>();
        Random shuffle = new Random(31);
        for (int round = 0; round < 10; round++) {
            // the same reputations handed to the ids in another order, candidates listed by id
            List<NodeId> owners = new ArrayList<>(ids);
            Collections.shuffle(owners, shuffle);
            List<Candidate> candidates = new ArrayList<>();
            for (int i = 0; i < reputations.length; i++) {
                candidates.add(new Candidate(owners.get(i), List.of("m"), reputations[i], false));
            }
            candidates.sort((a, b) -> a.node().compareTo(b.node()));
            Map<NodeId, Double> chances = selector.seatChances(candidates, Set.of(), 3);
            assertThat(chances.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(3, within(1e-12));
            for (int i = 0; i < reputations.length; i++) {
                double chance = chances.get(owners.get(i));
                double seen = chanceOfReputation.computeIfAbsent(reputations[i], r -> chance);
                assertThat(chance).isCloseTo(seen, within(1e-12));
            }
        }
        // K equal candidates: each, the smallest id included, is seated with chance exactly 3 / K
        List<Candidate> equal = new ArrayList<>();
        for (NodeId id : ids) {
            equal.add(new Candidate(id, List.of("m"), 0, false));
        }
        equal.sort((a, b) -> a.node().compareTo(b.node()));
        assertThat(selector.seatChances(equal, Set.of(), 3).values()).allSatisfy(c ->
                assertThat(c).isCloseTo(3.0 / ids.size(), within(1e-12)));
    }

    @Test
    void seatedFrequenciesMatchTheExactSeatChancesWithinABinomialBound() {
        List<Candidate> candidates = new ArrayList<>(List.of(peer(1, 5, "m"), peer(2, 0, "m"), peer(3, 1, "m"),
                peer(4, 2, "m"), peer(5, 0.5, "m"), new Candidate(node(9), List.of("m"), 0, true)));
        Map<NodeId, Double> exact = selector.seatChances(candidates, Set.of(), 3);
        assertThat(exact.get(node(9))).isEqualTo(1.0);
        Map<NodeId, Integer> seated = new HashMap<>();
        Random random = new Random(8);
        int councils = 100_000;
        for (int d = 0; d < councils; d++) {
            for (Member m : selector.select(candidates, Set.of(), 3, random)) {
                seated.merge(m.node(), 1, Integer::sum);
            }
        }
        // 5 standard errors of a binomial count (fixed seed): a chance failure is below 6e-7 per node
        exact.forEach((node, p) -> assertThat((double) seated.getOrDefault(node, 0) / councils)
                .isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / councils))));
    }
}
