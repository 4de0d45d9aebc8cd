package org.council.bridge.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SimulatedReviewTest {

    @Test
    void aRankingRequestGetsALabelledRankingOfTheLabelsShown(Vertx vertx) throws Exception {
        SimulatedBackend backend = new SimulatedBackend(vertx, SimulatedConfig.defaults()
                .withRate(5_000, Duration.ofMillis(1)));
        String prompt = "Response A: x\nResponse B: y\nResponse C: z\nEnd with FINAL RANKING: and a numbered list.";
        InferenceResult r = backend.start(InferenceRequest.chat(RequesterId.of("r"), "simulated-llama-3b",
                List.of(ChatMessage.user(prompt))), TokenSink.NONE).result()
                .toCompletionStage().toCompletableFuture().get();

        assertThat(r.text()).startsWith(SimulatedBackend.BANNER).contains("FINAL RANKING:");
        String ranking = r.text().substring(r.text().indexOf("FINAL RANKING:"));
        assertThat(ranking).contains("1. Response", "2. Response", "3. Response")
                .contains("Response A", "Response B", "Response C");
    }
}
