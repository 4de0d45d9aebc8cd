package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.council.node.council.CouncilOrchestratorTest.M1;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.council.bridge.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A council run and the council service are confined to their context and assert it at their entry points. */
class CouncilConfinementTest {

    private static Vertx vertx;
    private Context councilContext;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().await();
    }

    @BeforeEach
    void assertionsOn() {
        boolean enabled = false;
        assert enabled = true;
        assumeTrue(enabled, "run with -ea (surefire and failsafe enable assertions by default)");
        councilContext = vertx.getOrCreateContext();
    }

    @Test
    void aRunStartedOffItsContextFails() {
        CouncilRun run = new CouncilRun(CouncilQuery.of("q", List.of(M1)), CouncilListener.NONE,
                new StageCalls(new FakeMemberClient(vertx), councilContext), new MemberSelector(), new Random(1));

        assertThatThrownBy(run::run).isInstanceOf(AssertionError.class).hasMessageContaining("off the run's context");
    }

    @Test
    void theServicesMemberCallsOffTheCouncilContextFail() {
        CouncilService service = new CouncilService(M1.node(), null, null, null, null, null, null, null,
                councilContext);

        assertThatThrownBy(() -> service.complete(M1, "answer", List.of(ChatMessage.user("q")), Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("off the council context");
    }
}
