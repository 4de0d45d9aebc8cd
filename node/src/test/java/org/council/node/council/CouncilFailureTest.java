package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.node.council.CouncilFixtures.member;
import static org.council.node.council.CouncilOrchestratorTest.FOUR;
import static org.council.node.council.CouncilOrchestratorTest.M1;
import static org.council.node.council.CouncilOrchestratorTest.M2;
import static org.council.node.council.CouncilOrchestratorTest.M3;
import static org.council.node.council.CouncilOrchestratorTest.TASTE;
import static org.council.node.council.CouncilOrchestratorTest.TEXT;
import static org.council.node.council.FakeMemberClient.fail;
import static org.council.node.council.FakeMemberClient.hang;
import static org.council.node.council.FakeMemberClient.rankBy;
import static org.council.node.council.FakeMemberClient.reply;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.council.node.council.CouncilEvent.MemberFailed;
import org.council.node.council.CouncilEvent.MemberReplied;
import org.council.node.council.CouncilEvent.StageEnded;
import org.council.node.council.CouncilEvent.StageStarted;
import org.council.node.council.StageReport.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Members that fail, hang or talk nonsense, and what the result says about it. */
class CouncilFailureTest {

    /** Short enough to keep hanging calls cheap; only hanging calls ever wait for it. */
    private static final CouncilTimeouts SHORT = CouncilTimeouts.of(Duration.ofMillis(100));

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
            client.on(m, CouncilStage.ANSWER, reply(TEXT.get(m))).on(m, CouncilStage.REVIEW, rankBy(TASTE));
        }
    }

    /** Nothing hangs where a listener is used, so the stage timeout (30 s) never races a reply from another thread. */
    private CouncilResult run(List<Member> members, CouncilListener listener) throws Exception {
        CouncilQuery query = CouncilQuery.of("Why is the sky blue?", members)
                .withTimeouts(CouncilTimeouts.of(Duration.ofSeconds(30)));
        return CouncilFixtures.run(vertx, new CouncilOrchestrator(client, new Random(3)), query, listener);
    }

    private CouncilResult run(List<Member> members) throws Exception {
        CouncilQuery query = CouncilQuery.of("Why is the sky blue?", members).withTimeouts(SHORT);
        return CouncilFixtures.run(vertx, new CouncilOrchestrator(client, new Random(3)), query, CouncilListener.NONE);
    }

    @Test
    void failingMemberIsDroppedAndRecordedAndTheCouncilCompletes() throws Exception {
        client.on(M2, CouncilStage.ANSWER, fail("backend down"));

        CouncilResult result = run(FOUR);

        assertThat(result.stagesCompleted()).isEqualTo(3);
        assertThat(result.failures()).containsExactly(new StageFailure(CouncilStage.ANSWER, M2, "backend down"));
        assertThat(result.labels()).hasSize(3).doesNotContainValue(M2);
        assertThat(result.servedMembers(CouncilStage.ANSWER)).hasSize(3).doesNotContain(M2);
        assertThat(result.servedMembers(CouncilStage.REVIEW)).hasSize(3).doesNotContain(M2);
        assertThat(client.calls(CouncilStage.REVIEW)).extracting(FakeMemberClient.Call::member).doesNotContain(M2);
        assertThat(result.reviews()).allSatisfy(r -> assertThat(r.labels()).hasSize(2));
        assertThat(result.stage(CouncilStage.ANSWER).detail()).isEqualTo("3 of 4 members answered");
        assertThat(result.ratedMembers()).extracting(r -> r.member()).doesNotContain(M2.node());
    }

    @Test
    void hangingMemberTimesOut() throws Exception {
        client.on(M3, CouncilStage.ANSWER, hang());

        CouncilResult result = run(FOUR);

        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.member()).isEqualTo(M3);
            assertThat(f.reason()).isEqualTo("timed out after 100 ms");
        });
        assertThat(result.stagesCompleted()).isEqualTo(3);
    }

    @Test
    void failedOrGarbageReviewsAreRecordedAndTheRestStillCount() throws Exception {
        client.on(M1, CouncilStage.REVIEW, hang())
                .on(M2, CouncilStage.REVIEW, reply("I like them all, really."));

        CouncilResult result = run(FOUR);

        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.stage()).isEqualTo(CouncilStage.REVIEW);
            assertThat(f.member()).isEqualTo(M1);
        });
        assertThat(result.reviews()).extracting(Review::reviewer).containsExactlyInAnyOrder(M2, M3, CouncilOrchestratorTest.M4);
        Review garbage = result.reviews().stream().filter(r -> r.reviewer().equals(M2)).findFirst().orElseThrow();
        assertThat(garbage.text()).isEqualTo("I like them all, really.");
        assertThat(garbage.rankedLabels()).isEmpty();
        assertThat(garbage.ranking()).isEmpty();
        assertThat(result.stage(CouncilStage.REVIEW).status()).isEqualTo(Status.COMPLETED);
        // only M3 and M4 ranked: each ranks the other once and M1, M2 twice
        assertThat(result.aggregate()).extracting(s -> s.member().model() + "=" + s.rankings())
                .containsExactlyInAnyOrder("llama3:8b=2", "mistral:7b=2", "qwen2:7b=1", "phi3:mini=1");
        assertThat(result.stagesCompleted()).isEqualTo(3);
    }

    @Test
    void chairmanTimeoutKeepsStagesOneAndTwoAndGivesNoAnswer() throws Exception {
        client.on(M1, CouncilStage.SYNTHESIS, hang());

        CouncilResult result = run(FOUR);

        assertThat(result.stagesCompleted()).isEqualTo(2);
        assertThat(result.stage(CouncilStage.SYNTHESIS).status()).isEqualTo(Status.FAILED);
        assertThat(result.failures()).containsExactly(
                new StageFailure(CouncilStage.SYNTHESIS, M1, "timed out after 100 ms"));
        assertThat(result.answer()).isNull();
        assertThat(result.synthesis()).isNull();
        assertThat(result.servedMembers(CouncilStage.SYNTHESIS)).isEmpty();
        assertThat(result.answers()).hasSize(4);
        assertThat(result.reviews()).hasSize(4);
        assertThat(result.topRankedAnswer().orElseThrow().member()).isEqualTo(M3);
        assertThat(result.toJsonMap()).containsEntry("stages_completed", 2).containsEntry("answer", null);
    }

    @Test
    void allMembersFailingCompletesNoStage() throws Exception {
        for (Member m : FOUR) {
            client.on(m, CouncilStage.ANSWER, fail("no model " + m.model()));
        }

        CouncilResult result = run(FOUR);

        assertThat(result.stagesCompleted()).isZero();
        assertThat(result.stages()).extracting(StageReport::status)
                .containsExactly(Status.FAILED, Status.NOT_RUN, Status.NOT_RUN);
        assertThat(result.failures()).hasSize(4);
        assertThat(result.answers()).isEmpty();
        assertThat(result.answer()).isNull();
        assertThat(result.ratedMembers()).isEmpty();
        assertThat(client.calls()).hasSize(4);
    }

    @Test
    void singleMemberSkipsReview() throws Exception {
        CouncilResult result = run(List.of(M2));

        assertThat(result.stages()).extracting(StageReport::status)
                .containsExactly(Status.COMPLETED, Status.SKIPPED, Status.COMPLETED);
        assertThat(result.stagesCompleted()).isEqualTo(3);
        assertThat(client.calls(CouncilStage.REVIEW)).isEmpty();
        assertThat(client.calls(CouncilStage.SYNTHESIS).get(0).prompt()).contains(CouncilPrompts.NO_RANKINGS);
        assertThat(result.ratedMembers()).isEmpty();
        assertThat(result.topRankedAnswer().orElseThrow().member()).isEqualTo(M2);
    }

    @Test
    void listenerHearsEveryStepOnTheCouncilsContextEvenForForeignThreadReplies() throws Exception {
        client.on(M1, CouncilStage.ANSWER, FakeMemberClient.replyFromForeignThread(TEXT.get(M1)))
                .on(M2, CouncilStage.ANSWER, fail("backend down"));
        List<String> events = new ArrayList<>();
        List<Context> contexts = new ArrayList<>();

        run(List.of(M1, M2, M3), event -> {
            contexts.add(Vertx.currentContext());
            events.add(describe(event));
            if (events.size() == 1) {
                throw new IllegalStateException("a broken listener must not break the council");
            }
        });

        assertThat(contexts).doesNotContainNull().allMatch(c -> c == contexts.get(0));
        assertThat(events.subList(0, 5)).startsWith("started answer 3").contains("replied answer llama3:8b",
                "failed answer mistral:7b backend down", "replied answer qwen2:7b");
        assertThat(events.subList(4, 6)).containsExactly("ended answer COMPLETED", "started review 2");
        assertThat(events.subList(6, 8)).containsExactlyInAnyOrder("replied review llama3:8b", "replied review qwen2:7b");
        assertThat(events.subList(8, events.size())).containsExactly("ended review COMPLETED",
                "started synthesis 1", "replied synthesis llama3:8b", "ended synthesis COMPLETED");
    }

    @Test
    void runOutsideAVertxContextFails() {
        CouncilQuery query = CouncilQuery.of("q", List.of(M1));

        assertThat(new CouncilOrchestrator(client, new Random(1)).run(query, CouncilListener.NONE).failed()).isTrue();
    }

    @Test
    void nonMemberChairmanIsAskedAndSeesNoMemberNames() throws Exception {
        Member outsider = member(8, "chairman-70b", 0.1);
        client.on(outsider, CouncilStage.SYNTHESIS, reply("outsider synthesis"));
        CouncilQuery query = CouncilQuery.of("Why?", List.of(M1, M2)).withChairman(outsider).withTimeouts(SHORT);

        CouncilResult result = CouncilFixtures.run(vertx, new CouncilOrchestrator(client, new Random(3)), query,
                CouncilListener.NONE);

        assertThat(result.synthesis().chairman()).isEqualTo(outsider);
        assertThat(result.answer()).isEqualTo("outsider synthesis");
        assertThat(client.calls(CouncilStage.SYNTHESIS).get(0).prompt()).doesNotContain(M1.model(), M2.model());
    }

    private static String describe(CouncilEvent event) {
        if (event instanceof StageStarted s) {
            return "started " + s.stage().id() + " " + s.members().size();
        } else if (event instanceof MemberReplied r) {
            return "replied " + r.stage().id() + " " + r.member().model();
        } else if (event instanceof MemberFailed f) {
            return "failed " + f.failure().stage().id() + " " + f.failure().member().model() + " " + f.failure().reason();
        } else if (event instanceof StageEnded e) {
            return "ended " + e.report().stage().id() + " " + e.report().status();
        }
        throw new AssertionError(event);
    }
}
