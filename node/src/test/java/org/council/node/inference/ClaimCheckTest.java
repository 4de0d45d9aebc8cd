package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.node.wire.EmbeddingVectors;
import org.council.node.wire.RemoteRequest;
import org.junit.jupiter.api.Test;

/** The claim rules, one attack at a time, against a request the requester signed itself. */
class ClaimCheckTest {

    private final NodeKeyPair requester = NodeKeyPair.generate();
    private final NodeKeyPair server = NodeKeyPair.generate();
    private final RemoteRequest request = RemoteRequest.sign(requester, server.id(), JobId.random(), 1, "llama3:8b",
            List.of(ChatMessage.user("What is 6 x 7?")), 8, "answer");
    private final String text = "Forty-two.";
    private EventBody.CapabilitiesAnnounced announced = new EventBody.CapabilitiesAnnounced(
            List.of(new EventBody.ModelOffer("llama3:8b", 8_000, "Q4_0", 8192)), "", 1, "");
    private final ClaimCheck check = new ClaimCheck(requester.id(), id -> id.equals(server.id()) ? announced : null);

    private SignedEvent claim(String model, long params, long prompt, long completion, long credits) {
        return EventCodec.sign(server, 1, null, 1, new EventBody.ServiceProposed(request.jobId(), requester.id(), model,
                params, (int) prompt, (int) completion, 0, 1, Sha256.hash(request.requestBytes()),
                Sha256.hash(text.getBytes(StandardCharsets.UTF_8)), credits, "answer"));
    }

    private String problem(String model, long params, long prompt, long completion) {
        return check.problem(server.id(), request, claim(model, params, prompt, completion,
                Credits.milli(params, prompt, completion)), text);
    }

    @Test
    void anHonestClaimPassesAtItsBounds() {
        assertThat(problem("llama3:8b", 8_000, 20, 5)).isNull();
        assertThat(problem("llama3:8b", 8_000, ClaimCheck.promptBound(request), 8)).isNull();
    }

    @Test
    void eachInflatedNumberIsRefused() {
        assertThat(problem("llama3:70b", 8_000, 20, 5)).contains("not the requested");
        assertThat(problem("llama3:8b", 70_000, 20, 5)).contains("not the 8000 M");
        assertThat(problem("llama3:8b", Long.MAX_VALUE, 0, 8)).contains("beyond any priced model");
        assertThat(problem("llama3:8b", 8_000, ClaimCheck.promptBound(request) + 1, 5)).contains("prompt tokens");
        assertThat(problem("llama3:8b", 8_000, 20, 9)).as("more than max_tokens").contains("completion tokens");
        assertThat(check.problem(server.id(), request, claim("llama3:8b", 8_000, 20, 5, Long.MAX_VALUE), text))
                .contains("formula");
        assertThat(check.problem(server.id(), request, claim("llama3:8b", 8_000, 20, 5, 4_000), "other text"))
                .contains("response hash");
    }

    private final RemoteRequest embed = RemoteRequest.signEmbedding(requester, server.id(), JobId.random(), 1,
            "llama3:8b", List.of("fair", "unfair"), "", "embed");
    private final byte[] vectors = EmbeddingVectors.encode(List.of(new double[] {0.5, -0.5}, new double[] {1, 0})).bytes();

    private SignedEvent embedClaim(String model, long params, long input, long completion, long credits, byte[] hashed) {
        return EventCodec.sign(server, 1, null, 1, new EventBody.ServiceProposed(embed.jobId(), requester.id(), model,
                params, (int) input, (int) completion, 0, 1, Sha256.hash(embed.requestBytes()), Sha256.hash(hashed),
                credits, "embed"));
    }

    private String embedProblem(String model, long params, long input, long completion) {
        return check.embeddingProblem(server.id(), embed, embedClaim(model, params, input, completion,
                Credits.embeddingMilli(params, input), vectors), vectors);
    }

    @Test
    void anHonestEmbeddingClaimPassesAtItsBounds() {
        assertThat(embedProblem("llama3:8b", 8_000, 2, 0)).isNull();
        assertThat(ClaimCheck.promptBound(embed)).as("slack per input, not per message")
                .isEqualTo(embed.requestBytes().length + 2L * ClaimCheck.PROMPT_SLACK_PER_MESSAGE
                        + ClaimCheck.PROMPT_SLACK_TOKENS);
        assertThat(embedProblem("llama3:8b", 8_000, ClaimCheck.promptBound(embed), 0)).isNull();
    }

    @Test
    void eachInflatedEmbeddingClaimIsRefused() {
        assertThat(embedProblem("llama3:8b", 8_000, ClaimCheck.promptBound(embed) + 1, 0))
                .as("more input tokens than the signed request holds").contains("prompt tokens");
        assertThat(embedProblem("llama3:8b", 8_000, Integer.MAX_VALUE, 0)).contains("prompt tokens");
        assertThat(embedProblem("mxbai-embed-large", 8_000, 2, 0)).as("a foreign model").contains("not the requested");
        assertThat(embedProblem("llama3:8b", 70_000, 2, 0)).contains("not the 8000 M");
        assertThat(embedProblem("llama3:8b", 8_000, 2, 1)).as("an embedding generates nothing")
                .contains("completion tokens for an embedding job (at most 0)");
        assertThat(check.embeddingProblem(server.id(), embed, embedClaim("llama3:8b", 8_000, 2, 0,
                Credits.milli(8_000, 2, 0) + 1, vectors), vectors)).contains("formula");
        byte[] other = vectors.clone();
        other[0] ^= 1;
        assertThat(check.embeddingProblem(server.id(), embed, embedClaim("llama3:8b", 8_000, 2, 0,
                Credits.embeddingMilli(8_000, 2), vectors), other)).contains("hash is not that of the vectors received");
        assertThat(check.embeddingProblem(server.id(), embed, claim("llama3:8b", 8_000, 2, 0,
                Credits.embeddingMilli(8_000, 2)), vectors)).as("the claim of another job").contains("another job");
    }

    @Test
    void aModelNeverAnnouncedIsPricedAtTheFloor() {
        announced = null;
        assertThat(problem("llama3:8b", Credits.FLOOR_PARAMETERS_MILLIONS, 20, 5)).isNull();
        assertThat(problem("llama3:8b", 0, 20, 5)).isNull();
        assertThat(problem("llama3:8b", 8_000, 20, 5)).contains("never announced");
    }

    @Test
    void completionIsBoundedByTheBytesReceivedAndTheDefaultCap() {
        RemoteRequest noMax = RemoteRequest.sign(requester, server.id(), JobId.random(), 1, "m",
                List.of(ChatMessage.user("hi")), 0, "");
        assertThat(ClaimCheck.completionBound(noMax, 100)).isEqualTo(100 + ClaimCheck.COMPLETION_SLACK_TOKENS);
        assertThat(ClaimCheck.completionBound(noMax, 1_000_000)).isEqualTo(ClaimCheck.DEFAULT_MAX_TOKENS);
        assertThat(ClaimCheck.overrun(request, 8 + ClaimCheck.COMPLETION_SLACK_TOKENS, 100)).isFalse();
        assertThat(ClaimCheck.overrun(request, 9 + ClaimCheck.COMPLETION_SLACK_TOKENS, 100)).isTrue();
        assertThat(ClaimCheck.overrun(request, 1, 8L * ClaimCheck.MAX_BYTES_PER_TOKEN + 1)).isTrue();
    }
}
