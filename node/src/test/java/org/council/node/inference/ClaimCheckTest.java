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
