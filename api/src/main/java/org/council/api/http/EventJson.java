package org.council.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.council.crypto.Hex;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;

/**
 * Renders events as the audit API's JSON: snake_case fields, ids, keys and hashes as lowercase
 * hex, the exact signed bytes as base64 so a client can verify them without trusting this node.
 * Public so that other renderings of the same shape (the command line's {@code ledger export}
 * from a data directory) stay byte-for-byte the API's. Stateless and thread-safe.
 */
public final class EventJson {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EventJson() {
    }

    /** One event as {@code GET /feeds/{author}/events} lists it. */
    public static ObjectNode event(SignedEvent e) {
        ObjectNode o = JSON.objectNode();
        o.put("id", e.id().hex());
        o.put("author", e.author().hex());
        o.put("seq", e.seq());
        if (e.prev() == null) {
            o.putNull("prev");
        } else {
            o.put("prev", e.prev().hex());
        }
        o.put("timestamp_ms", e.timestampMs());
        o.put("kind", e.kind().wireName());
        o.set("body", body(e.body()));
        o.put("payload", base64(e.payloadUnsafe()));
        o.put("signature", Hex.encode(e.signatureUnsafe()));
        o.put("signed_event", base64(e.envelopeUnsafe()));
        return o;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    // Switch on the kind (no default) so a new kind fails compilation here until it is rendered.
    static ObjectNode body(EventBody body) {
        return switch (body.kind()) {
            case CAPABILITIES_ANNOUNCED -> CapabilitiesJson.body((EventBody.CapabilitiesAnnounced) body);
            case SERVICE_PROPOSED -> proposed((EventBody.ServiceProposed) body);
            case SERVICE_ACKNOWLEDGED -> acknowledged((EventBody.ServiceAcknowledged) body);
            case RATING -> rating((EventBody.Rating) body);
            case EQUIVOCATION_OBSERVED -> equivocation((EventBody.EquivocationObserved) body);
            case UNKNOWN -> JSON.objectNode().put("field_number", ((EventBody.Unknown) body).fieldNumber());
        };
    }

    private static ObjectNode proposed(EventBody.ServiceProposed b) {
        return JSON.objectNode()
                .put("job_id", b.jobId().hex())
                .put("requester", b.requester().hex())
                .put("model", b.model())
                .put("parameters_millions", b.parametersMillions())
                .put("prompt_tokens", b.promptTokens())
                .put("completion_tokens", b.completionTokens())
                .put("queue_ms", b.queueMs())
                .put("duration_ms", b.durationMs())
                .put("request_hash", Hex.encode(b.requestHash()))
                .put("response_hash", Hex.encode(b.responseHash()))
                .put("credits_milli", b.creditsMilli())
                .put("stage", b.stage());
    }

    private static ObjectNode acknowledged(EventBody.ServiceAcknowledged b) {
        return JSON.objectNode()
                .put("job_id", b.jobId().hex())
                .put("server", b.server().hex())
                .put("proposal_seq", b.proposalSeq())
                .put("proposal_id", b.proposalId().hex());
    }

    private static ObjectNode rating(EventBody.Rating b) {
        ObjectNode o = JSON.objectNode().put("council_id", b.councilId().hex());
        ArrayNode members = o.putArray("members");
        for (EventBody.RatedMember m : b.members()) {
            members.addObject()
                    .put("member", m.member().hex())
                    .put("average_rank_milli", m.averageRankMilli())
                    .put("rankings", m.rankings());
        }
        return o;
    }

    // first/second are bytes fields in the format, so hex like every other bytes field; their ids
    // are added so a reader can look the two versions up without hashing.
    private static ObjectNode equivocation(EventBody.EquivocationObserved b) {
        return JSON.objectNode()
                .put("accused", b.accused().hex())
                .put("seq", b.seq())
                .put("first", Hex.encode(b.first().envelopeUnsafe()))
                .put("second", Hex.encode(b.second().envelopeUnsafe()))
                .put("first_id", b.first().id().hex())
                .put("second_id", b.second().id().hex());
    }
}
