package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.council.node.council.CouncilFixtures.member;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody.RatedMember;
import org.council.ledger.event.JobId;
import org.council.node.council.StageReport.Status;
import org.junit.jupiter.api.Test;

class CouncilResultTest {

    private static final Member A = member(1, "a", 0.9);
    private static final Member B = member(2, "b", 0.8);
    private static final Member C = member(3, "c", 0.7);
    private static final Member B2 = member(2, "b-second-seat", 0.8);

    private static Review review(Member reviewer, Member... ranking) {
        Map<String, Member> labels = new LinkedHashMap<>();
        List<String> ranked = new ArrayList<>();
        for (int i = 0; i < ranking.length; i++) {
            labels.put(Labels.of(i), ranking[i]);
            ranked.add(Labels.of(i));
        }
        return new Review(reviewer, "text", labels, ranked, List.of(ranking), 1, 1);
    }

    private static CouncilResult result(List<Member> members, List<Review> reviews) {
        List<MemberAnswer> answers = new ArrayList<>();
        Map<String, Member> labels = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            answers.add(new MemberAnswer(members.get(i), Labels.of(i), "answer " + i, 1, 1));
            labels.put(Labels.of(i), members.get(i));
        }
        List<StageReport> stages = List.of(new StageReport(CouncilStage.ANSWER, Status.COMPLETED, ""),
                new StageReport(CouncilStage.REVIEW, Status.COMPLETED, ""),
                new StageReport(CouncilStage.SYNTHESIS, Status.FAILED, "timed out"));
        return new CouncilResult(JobId.of(new byte[16]), "q", members, stages, answers, labels, reviews,
                Rankings.aggregate(answers, reviews), null, List.of());
    }

    @Test
    void ratedMembersAreMeanRankTimesAThousandPerNode() {
        CouncilResult r = result(List.of(A, B, C), List.of(review(A, C, B), review(B, C, A), review(C, B, A)));

        assertThat(r.ratedMembers()).containsExactly(
                new RatedMember(C.node(), 1000, 2),
                new RatedMember(B.node(), 1500, 2),
                new RatedMember(A.node(), 2000, 2));
    }

    @Test
    void aNodeWithTwoSeatsIsRatedOnceAndNeverByItself() {
        // B and B2 sit on the same node and rank each other first: those rankings do not count for node 2
        CouncilResult r = result(List.of(A, B, B2), List.of(review(A, B, B2), review(B2, B, A), review(B, B2, A)));

        assertThat(r.ratedMembers()).containsExactly(
                new RatedMember(B.node(), 1500, 2),
                new RatedMember(A.node(), 2000, 2));
        // the aggregate shown to the user still counts every reviewer, per seat
        assertThat(r.aggregate()).extracting(RankSummary::member).containsExactly(B, B2, A);
        assertThat(r.aggregate()).extracting(RankSummary::meanRank).containsExactly(1.0, 1.5, 2.0);
    }

    @Test
    void roundsTheMeanRankToTheNearestThousandth() {
        CouncilResult r = result(List.of(A, B, C), List.of(review(A, C, B), review(B, A, C), review(C, B, A)));
        // C: 1 and 2 → 1500; B: 2 and 1 → 1500; A: 1 and 2 → 1500
        assertThat(r.ratedMembers()).extracting(RatedMember::averageRankMilli).containsOnly(1500);

        CouncilResult thirds = result(List.of(A, B, C, member(4, "d", 0.1)), List.of(
                review(A, C, B), review(B, C, A), review(member(4, "d", 0.1), A, C)));
        assertThat(thirds.ratedMembers()).filteredOn(m -> m.member().equals(C.node()))
                .singleElement().satisfies(m -> assertThat(m.averageRankMilli()).isEqualTo(1333));
    }

    @Test
    void stagesCompletedCountsFromStageOneUntilTheFirstFailure() {
        CouncilResult r = result(List.of(A, B), List.of(review(A, B), review(B, A)));

        assertThat(r.stagesCompleted()).isEqualTo(2);
        assertThat(r.answer()).isNull();
    }

    @Test
    void jsonMapHoldsOnlyPlainValues() {
        CouncilResult r = result(List.of(A, B, C), List.of(review(A, C, B), review(B, C, A)));

        Map<String, Object> json = r.toJsonMap();

        assertThat(json).containsEntry("council_id", "00000000000000000000000000000000")
                .containsEntry("stages_completed", 2)
                .containsKeys("members", "stages", "labels", "answers", "reviews", "aggregate", "synthesis",
                        "failures", "rated_members");
        assertPlain(json);
        assertThat(json.get("labels").toString()).contains(A.node().hex());
    }

    @Test
    void queryRejectsRepeatedSeatsAndOversizedCouncils() {
        assertThatThrownBy(() -> CouncilQuery.of("q", List.of(A, member(1, "a", 0.1))))
                .isInstanceOf(IllegalArgumentException.class);
        List<Member> many = new ArrayList<>();
        for (int i = 0; i < CouncilQuery.MAX_MEMBERS + 1; i++) {
            many.add(member(i, "m", 0.5));
        }
        assertThatThrownBy(() -> CouncilQuery.of("q", many)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CouncilQuery.of(" ", List.of(A))).isInstanceOf(IllegalArgumentException.class);
        assertThat(CouncilQuery.of("q", List.of(A, B2, B)).timeouts()).isEqualTo(CouncilTimeouts.DEFAULTS);
    }

    private static void assertPlain(Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                assertThat(k).isInstanceOf(String.class);
                assertPlain(v);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(CouncilResultTest::assertPlain);
        } else if (value != null) {
            assertThat(value).isInstanceOfAny(String.class, Number.class, Boolean.class);
            assertThat(value).isNotInstanceOf(NodeId.class);
        }
    }

}
