package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.node.council.CouncilFixtures.member;
import static org.council.node.council.FakeMemberClient.hang;
import static org.council.node.council.FakeMemberClient.rankBy;
import static org.council.node.council.FakeMemberClient.reply;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.node.council.FakeMemberClient.Call;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A council as a chat model: the whole conversation, the synthesis streamed, and cancel. */
class CouncilChatTest {

    static final Member M1 = member(1, "llama3:8b", 0.9);
    static final Member M2 = member(2, "mistral:7b", 0.7);
    static final Member M3 = member(3, "qwen2:7b", 0.5);
    static final List<Member> THREE = List.of(M1, M2, M3);
    static final List<ChatMessage> HISTORY = List.of(ChatMessage.system("Answer like a sailor."),
            ChatMessage.user("What is a knot?"), ChatMessage.assistant("A unit of speed, one nautical mile an hour."));
    static final String QUESTION = "And how fast is ten of them?";
    static final List<String> TOKENS = List.of("Ten knots ", "is about ", "18.5 km/h", ", matey.");

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
        for (Member m : THREE) {
            client.on(m, CouncilStage.ANSWER, reply("answer of " + m.model().charAt(0)))
                    .on(m, CouncilStage.REVIEW, rankBy(List.of()))
                    .on(m, CouncilStage.SYNTHESIS, client.stream(TOKENS));
        }
    }

    private CouncilHandle start(TokenSink sink) throws Exception {
        CouncilOrchestrator orchestrator = new CouncilOrchestrator(client, new Random(7));
        CouncilQuery query = CouncilQuery.of(QUESTION, THREE).withHistory(HISTORY).withChairman(M1);
        CompletableFuture<CouncilHandle> handle = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> handle.complete(orchestrator.start(query, CouncilListener.NONE, sink)));
        return handle.get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void everyStageSeesTheWholeConversation() throws Exception {
        CouncilResult result = await(start(TokenSink.NONE).result());

        assertThat(result.answer()).isEqualTo(String.join("", TOKENS));
        List<ChatMessage> asked = new ArrayList<>(HISTORY);
        asked.add(ChatMessage.user(QUESTION));
        assertThat(client.calls(CouncilStage.ANSWER)).hasSize(3)
                .allSatisfy(c -> assertThat(c.messages()).isEqualTo(asked));
        List<Call> later = new ArrayList<>(client.calls(CouncilStage.REVIEW));
        later.addAll(client.calls(CouncilStage.SYNTHESIS));
        assertThat(later).hasSize(4).allSatisfy(c -> {
            assertThat(c.messages().subList(0, HISTORY.size())).isEqualTo(HISTORY);
            assertThat(c.messages()).hasSize(HISTORY.size() + 1);
            assertThat(c.prompt()).contains(QUESTION).contains(CouncilPrompts.IN_CONTEXT.strip());
            for (Member m : THREE) {
                assertThat(c.prompt()).doesNotContain(m.model(), m.node().hex());
            }
        });
    }

    @Test
    void aSingleQuestionGetsNoConversationNote() {
        assertThat(CouncilPrompts.review(QUESTION, java.util.Map.of("Response A", "a")))
                .doesNotContain(CouncilPrompts.IN_CONTEXT.strip());
        assertThat(CouncilPrompts.review(QUESTION, true, java.util.Map.of("Response A", "a")))
                .contains(CouncilPrompts.IN_CONTEXT.strip());
    }

    @Test
    void theSynthesisStreamsInOrderBeforeTheResultAndNothingElseDoes() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        List<Boolean> resultDoneAtToken = new CopyOnWriteArrayList<>();
        CompletableFuture<CouncilHandle> self = new CompletableFuture<>();
        CouncilHandle handle = start(t -> {
            got.add(t);
            resultDoneAtToken.add(self.getNow(null) != null && self.getNow(null).result().isComplete());
        });
        self.complete(handle);
        CouncilResult result = await(handle.result());

        assertThat(got).as("stages 1 and 2 stream nothing; the synthesis token by token").isEqualTo(TOKENS);
        assertThat(resultDoneAtToken).doesNotContain(true);
        assertThat(result.answer()).isEqualTo(String.join("", got));
        assertThat(client.calls(CouncilStage.ANSWER)).allSatisfy(c -> assertThat(c.sink()).isSameAs(TokenSink.NONE));
        assertThat(client.calls(CouncilStage.REVIEW)).allSatisfy(c -> assertThat(c.sink()).isSameAs(TokenSink.NONE));
    }

    @Test
    void aChairmanThatDoesNotStreamStillReachesTheSinkOnce() throws Exception {
        client.on(M1, CouncilStage.SYNTHESIS, reply("whole answer"));
        List<String> got = new CopyOnWriteArrayList<>();
        CouncilResult result = await(start(got::add).result());

        assertThat(result.answer()).isEqualTo("whole answer");
        assertThat(got).containsExactly("whole answer");
    }

    @Test
    void cancellingDuringTheAnswersCancelsEveryMemberCallAndStartsNoStage() throws Exception {
        for (Member m : THREE) {
            client.on(m, CouncilStage.ANSWER, hang());
        }
        CouncilHandle handle = start(TokenSink.NONE);
        awaitTrue(() -> client.calls(CouncilStage.ANSWER).size() == 3, "the members were asked");

        handle.cancel().run();
        handle.cancel().run();  // idempotent

        awaitTrue(() -> handle.result().isComplete(), "the council ended");
        assertThat(handle.result().cause()).isInstanceOf(CancellationException.class);
        assertThat(client.cancelled()).extracting(Call::member).containsExactlyInAnyOrderElementsOf(THREE);
        assertThat(client.calls(CouncilStage.REVIEW)).isEmpty();
        assertThat(client.calls(CouncilStage.SYNTHESIS)).isEmpty();
    }

    @Test
    void cancellingDuringTheSynthesisCancelsTheChairmanAndStopsTheStream() throws Exception {
        client.on(M1, CouncilStage.SYNTHESIS, hang());
        List<String> got = new CopyOnWriteArrayList<>();
        CouncilHandle handle = start(got::add);
        awaitTrue(() -> client.calls(CouncilStage.SYNTHESIS).size() == 1, "the chairman was asked");

        handle.cancel().run();

        awaitTrue(() -> handle.result().isComplete(), "the council ended");
        assertThat(handle.result().cause()).as("an unfinished council has no result, so it is never rated")
                .isInstanceOf(CancellationException.class);
        assertThat(client.cancelled()).extracting(Call::member).containsExactly(M1);
        assertThat(client.cancelled()).extracting(Call::stage).containsExactly(CouncilStage.SYNTHESIS.id());
        assertThat(got).isEmpty();
    }
}
