package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.node.council.CouncilFixtures.member;
import static org.council.node.council.FakeMemberClient.rankBy;
import static org.council.node.council.FakeMemberClient.reply;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.council.ledger.event.JobId;
import org.council.node.council.FakeMemberClient.Call;
import org.council.node.council.StageReport.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The happy path: four members through all three stages. Failure paths are in {@link CouncilFailureTest}. */
class CouncilOrchestratorTest {

    static final Member M1 = member(1, "llama3:8b", 0.9);
    static final Member M2 = member(2, "mistral:7b", 0.7);
    static final Member M3 = member(3, "qwen2:7b", 0.5);
    static final Member M4 = member(4, "phi3:mini", 0.3);
    static final List<Member> FOUR = List.of(M1, M2, M3, M4);
    static final Map<Member, String> TEXT = Map.of(M1, "alpha answer", M2, "beta answer",
            M3, "gamma answer", M4, "delta answer");
    /** Every reviewer's taste, best first. */
    static final List<String> TASTE = List.of("gamma answer", "alpha answer", "delta answer", "beta answer");

    private static Vertx vertx;
    private FakeMemberClient client;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @BeforeEach
    void script() {
        client = new FakeMemberClient(vertx);
        for (Member m : FOUR) {
            client.on(m, CouncilStage.ANSWER, reply(TEXT.get(m)))
                    .on(m, CouncilStage.REVIEW, rankBy(TASTE))
                    .on(m, CouncilStage.SYNTHESIS, reply("synthesis by the chairman"));
        }
        client.on(M2, CouncilStage.ANSWER, client.replyAfter(20, TEXT.get(M2)));
    }

    private CouncilResult run(long seed) throws Exception {
        CouncilQuery query = new CouncilQuery(JobId.of(new byte[16]), "Why is the sky blue?", List.of(), FOUR, null,
                CouncilTimeouts.of(Duration.ofSeconds(5)));
        return CouncilFixtures.run(vertx, new CouncilOrchestrator(client, new Random(seed)), query, CouncilListener.NONE);
    }

    @Test
    void allThreeStagesComplete() throws Exception {
        CouncilResult result = run(7);

        assertThat(result.stagesCompleted()).isEqualTo(3);
        assertThat(result.stages()).extracting(StageReport::status)
                .containsExactly(Status.COMPLETED, Status.COMPLETED, Status.COMPLETED);
        assertThat(result.failures()).isEmpty();
        assertThat(result.answer()).isEqualTo("synthesis by the chairman");
        assertThat(result.synthesis().chairman()).isEqualTo(M1);
        assertThat(result.answers()).hasSize(4);
        assertThat(result.reviews()).hasSize(4);
        for (CouncilStage stage : CouncilStage.values()) {
            assertThat(client.calls(stage)).hasSize(stage == CouncilStage.SYNTHESIS ? 1 : 4);
        }
    }

    @Test
    void everyAnswerGetsOneCouncilWideLabel() throws Exception {
        CouncilResult result = run(7);

        assertThat(result.labels()).containsOnlyKeys("Response A", "Response B", "Response C", "Response D");
        assertThat(result.labels().values()).containsExactlyInAnyOrderElementsOf(FOUR);
        for (MemberAnswer a : result.answers()) {
            assertThat(result.labels().get(a.label())).isEqualTo(a.member());
            assertThat(a.text()).isEqualTo(TEXT.get(a.member()));
        }
        assertThat(result.answers()).extracting(MemberAnswer::label)
                .containsExactly("Response A", "Response B", "Response C", "Response D");
    }

    @Test
    void eachReviewerSeesOnlyTheOthersAnswersUnderItsOwnLabels() throws Exception {
        CouncilResult result = run(7);

        for (Review review : result.reviews()) {
            Call call = client.call(review.reviewer(), CouncilStage.REVIEW);
            Map<String, String> shown = call.shownAnswers();
            assertThat(shown).hasSize(3).doesNotContainValue(TEXT.get(review.reviewer()));
            assertThat(review.labels()).doesNotContainValue(review.reviewer()).hasSize(3);
            review.labels().forEach((label, m) -> assertThat(shown.get(label)).isEqualTo(TEXT.get(m)));
            for (Member m : FOUR) {
                assertThat(call.prompt()).doesNotContain(m.model(), m.node().hex(), m.node().shortHex());
            }
        }
    }

    @Test
    void reviewersGetDifferentOrdersAndTheSeedReproducesThem() throws Exception {
        List<List<String>> orders = new ArrayList<>();
        for (Review review : run(7).reviews()) {
            orders.add(relativeOrder(client.call(review.reviewer(), CouncilStage.REVIEW)));
        }
        List<Call> firstPrompts = client.calls(CouncilStage.REVIEW);
        script();
        run(7);
        List<Call> againPrompts = client.calls(CouncilStage.REVIEW);

        // two reviewers disagree on the relative order of answers both were shown
        assertThat(disagree(orders)).isTrue();
        assertThat(againPrompts).extracting(Call::prompt).isEqualTo(firstPrompts.stream().map(Call::prompt).toList());
    }

    @Test
    void rankingsAreMappedBackAndAggregated() throws Exception {
        CouncilResult result = run(7);

        for (Review review : result.reviews()) {
            List<String> expected = new ArrayList<>(TASTE);
            expected.remove(TEXT.get(review.reviewer()));
            assertThat(review.ranking()).extracting(TEXT::get).containsExactlyElementsOf(expected);
        }
        // gamma is always first; alpha 2,1,2; delta 2,3,2; beta always last (of three)
        assertThat(result.aggregate()).extracting(RankSummary::member).containsExactly(M3, M1, M4, M2);
        assertThat(result.aggregate()).extracting(RankSummary::meanRank)
                .containsExactly(1.0, 5.0 / 3, 7.0 / 3, 3.0);
        assertThat(result.aggregate()).extracting(RankSummary::rankings).containsOnly(3);
        assertThat(result.ratedMembers()).extracting(r -> r.averageRankMilli()).containsExactly(1000, 1667, 2333, 3000);
        assertThat(result.topRankedAnswer().orElseThrow().member()).isEqualTo(M3);
    }

    @Test
    void chairmanSeesAllAnswersAndRankingsButNoModelNamesOrNodeIds() throws Exception {
        CouncilResult result = run(7);

        String prompt = client.calls(CouncilStage.SYNTHESIS).get(0).prompt();
        assertThat(prompt).contains("Why is the sky blue?", "Reviewer 1: ", "Reviewer 4: ");
        result.labels().forEach((label, m) -> assertThat(prompt).contains(label + ":\n" + TEXT.get(m)));
        String gamma = result.answers().stream().filter(a -> a.member().equals(M3)).findFirst().orElseThrow().label();
        assertThat(prompt).contains(gamma + ": 1.00 over 3 rankings");
        for (Member m : FOUR) {
            assertThat(prompt).doesNotContain(m.model(), m.node().hex(), m.node().shortHex());
        }
    }

    @Test
    void everyoneServedEveryStage() throws Exception {
        CouncilResult result = run(7);

        assertThat(result.servedMembers(CouncilStage.ANSWER)).containsExactlyInAnyOrderElementsOf(FOUR);
        assertThat(result.servedMembers(CouncilStage.REVIEW)).containsExactlyInAnyOrderElementsOf(FOUR);
        assertThat(result.servedMembers(CouncilStage.SYNTHESIS)).containsExactly(M1);
    }

    /** The shown answers' texts in prompt order. */
    private static List<String> relativeOrder(Call call) {
        return new ArrayList<>(call.shownAnswers().values());
    }

    private static boolean disagree(List<List<String>> orders) {
        Map<String, Boolean> before = new HashMap<>();
        for (List<String> order : orders) {
            for (int i = 0; i < order.size(); i++) {
                for (int j = i + 1; j < order.size(); j++) {
                    String pair = order.get(i) + "|" + order.get(j);
                    String reversed = order.get(j) + "|" + order.get(i);
                    if (before.containsKey(reversed)) {
                        return true;
                    }
                    before.put(pair, true);
                }
            }
        }
        return false;
    }
}
