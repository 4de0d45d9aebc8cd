package org.council.bench.karma;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.node.inference.ClaimCheck;
import org.council.node.wire.RemoteRequest;

/**
 * The inflated-claim attack: a server that signs its own receipt claims with numbers the requester
 * cannot have caused (a larger model than it announced, more prompt or completion tokens than the
 * request and the text can hold, a foreign model, {@code Long.MAX_VALUE} credits or size). Each
 * claim is built through the real codec and signed by the server's key, then put to the
 * requester's real {@link ClaimCheck}, with the server's real capabilities announcement. An
 * honest claim for the same job is the control: it must be accepted, or the figure means nothing.
 */
final class KarmaClaims {

    private static final String MODEL = "llama3.1:8b";
    private static final long ANNOUNCED_MILLIONS = 8_000;

    private KarmaClaims() {
    }

    static Map<String, Object> inflated() {
        NodeKeyPair requester = NodeKeyPair.generate();
        NodeKeyPair server = NodeKeyPair.generate();
        EventBody.CapabilitiesAnnounced caps = new EventBody.CapabilitiesAnnounced(
                List.of(new EventBody.ModelOffer(MODEL, ANNOUNCED_MILLIONS, "Q4_0", 8192)), "", 1, "");
        ClaimCheck check = new ClaimCheck(requester.id(), id -> id.equals(server.id()) ? caps : null);
        RemoteRequest r = RemoteRequest.sign(requester, server.id(), JobId.random(), System.currentTimeMillis(), MODEL,
                List.of(ChatMessage.user("Why is the sky blue?")), 64, "chat");
        String text = "Rayleigh scattering: shorter wavelengths scatter more.";
        int prompt = 12;
        int completion = 12;
        Map<String, EventBody.ServiceProposed> attacks = new LinkedHashMap<>();
        attacks.put("parameters_70b", priced(r, text, MODEL, 70_000, prompt, completion));
        attacks.put("prompt_tokens_1m", priced(r, text, MODEL, ANNOUNCED_MILLIONS, 1_000_000, completion));
        attacks.put("completion_tokens_beyond_text", priced(r, text, MODEL, ANNOUNCED_MILLIONS, prompt, 500));
        attacks.put("foreign_model", priced(r, text, "llama3.1:70b", ANNOUNCED_MILLIONS, prompt, completion));
        attacks.put("credits_long_max", claim(r, text, MODEL, ANNOUNCED_MILLIONS, prompt, completion, Long.MAX_VALUE));
        attacks.put("parameters_long_max", priced(r, text, MODEL, Long.MAX_VALUE, prompt, completion));
        long seq = 1;
        EventId prev = null;
        int acknowledged = 0;
        Map<String, Object> reasons = new LinkedHashMap<>();
        for (Map.Entry<String, EventBody.ServiceProposed> a : attacks.entrySet()) {
            SignedEvent proposal = EventCodec.sign(server, seq++, prev, System.currentTimeMillis(), a.getValue());
            prev = proposal.id();
            String problem = check.problem(server.id(), r, proposal, text);
            if (problem == null) {
                acknowledged++;
            }
            reasons.put(a.getKey(), problem == null ? "ACKNOWLEDGED" : problem);
        }
        SignedEvent honest = EventCodec.sign(server, seq, prev, System.currentTimeMillis(),
                priced(r, text, MODEL, ANNOUNCED_MILLIONS, prompt, completion));
        String control = check.problem(server.id(), r, honest, text);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", (double) acknowledged);
        out.put("claims", attacks.size());
        out.put("acknowledged", acknowledged);
        out.put("honest_control_acknowledged", control == null);
        out.put("reasons", reasons.toString());
        return out;
    }

    private static EventBody.ServiceProposed priced(RemoteRequest r, String text, String model, long params, int prompt,
                                                    int completion) {
        return claim(r, text, model, params, prompt, completion, Credits.milli(params, prompt, completion));
    }

    private static EventBody.ServiceProposed claim(RemoteRequest r, String text, String model, long params, int prompt,
                                                   int completion, long credits) {
        return new EventBody.ServiceProposed(r.jobId(), r.requester(), model, params, prompt, completion, 0, 10,
                Sha256.hash(r.requestBytes()), Sha256.hash(text.getBytes(StandardCharsets.UTF_8)), credits, "chat");
    }
}
