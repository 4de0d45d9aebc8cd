package org.council.ledger.event;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.council.crypto.NodeId;
import org.council.crypto.Sha256;

/**
 * The typed content of an event. Names are past tense; a shipped kind never changes meaning.
 * Every record checks its own well-formedness in its compact constructor and throws
 * {@link IllegalArgumentException} when malformed (the codec reports that as {@code MALFORMED}).
 * Projections switch over this sealed family without a {@code default}, so a new kind fails
 * compilation until every projection handles it.
 */
public sealed interface EventBody {

    EventKind kind();

    /** Models, hardware, concurrency and address the author serves. */
    record CapabilitiesAnnounced(List<ModelOffer> models, String gpu, int concurrency, String address)
            implements EventBody {
        public CapabilitiesAnnounced {
            models = List.copyOf(models);
            require(models.size() <= Limits.MAX_MODELS, "too many models");
            requireText(gpu, "gpu");
            requireText(address, "address");
            require(concurrency >= 0, "concurrency must not be negative");
        }

        @Override
        public EventKind kind() {
            return EventKind.CAPABILITIES_ANNOUNCED;
        }
    }

    /** One model on offer; {@code parametersMillions} is 0 when unknown. */
    /**
     * One model a node serves; {@code capabilities} are Ollama's words for what it can do
     * ({@code completion}, {@code tools}, {@code vision}, {@code thinking}, {@code embedding}),
     * empty when the node did not say (one that predates them). At most
     * {@value #MAX_CAPABILITIES}, each a short text.
     */
    record ModelOffer(String name, long parametersMillions, String quantization, int contextLength,
                      List<String> capabilities) {
        public static final int MAX_CAPABILITIES = 8;

        public ModelOffer {
            requireText(name, "model name");
            require(!name.isEmpty(), "model name is empty");
            requireText(quantization, "quantization");
            require(parametersMillions >= 0 && contextLength >= 0, "model size and context must not be negative");
            capabilities = List.copyOf(capabilities == null ? List.of() : capabilities);
            require(capabilities.size() <= MAX_CAPABILITIES, "too many capabilities");
            capabilities.forEach(c -> requireText(c, "capability"));
        }

        public ModelOffer(String name, long parametersMillions, String quantization, int contextLength) {
            this(name, parametersMillions, quantization, contextLength, List.of());
        }
    }

    /**
     * The server's half of a receipt (the author is the server). Carries hashes of the request and
     * the response, never their text.
     */
    record ServiceProposed(JobId jobId, NodeId requester, String model, long parametersMillions,
                           int promptTokens, int completionTokens, long queueMs, long durationMs,
                           byte[] requestHash, byte[] responseHash, long creditsMilli, String stage)
            implements EventBody {
        public ServiceProposed {
            require(jobId != null && requester != null, "job id and requester are required");
            requireText(model, "model");
            require(!model.isEmpty(), "model is empty");
            requireText(stage, "stage");
            require(parametersMillions >= 0 && promptTokens >= 0 && completionTokens >= 0
                    && queueMs >= 0 && durationMs >= 0 && creditsMilli >= 0, "counts must not be negative");
            require(requestHash != null && requestHash.length == Sha256.LENGTH, "request hash must be 32 bytes");
            require(responseHash != null && responseHash.length == Sha256.LENGTH, "response hash must be 32 bytes");
            requestHash = requestHash.clone();
            responseHash = responseHash.clone();
        }

        @Override
        public byte[] requestHash() {
            return requestHash.clone();
        }

        @Override
        public byte[] responseHash() {
            return responseHash.clone();
        }

        @Override
        public EventKind kind() {
            return EventKind.SERVICE_PROPOSED;
        }
    }

    /** The requester's half of a receipt (the author is the requester), linking the server's proposal. */
    record ServiceAcknowledged(JobId jobId, NodeId server, long proposalSeq, EventId proposalId)
            implements EventBody {
        public ServiceAcknowledged {
            require(jobId != null && server != null && proposalId != null, "job id, server and proposal id are required");
            require(proposalSeq >= 1, "proposal seq must be at least 1");
        }

        @Override
        public EventKind kind() {
            return EventKind.SERVICE_ACKNOWLEDGED;
        }
    }

    /** A council's peer-review outcome. */
    record Rating(JobId councilId, List<RatedMember> members) implements EventBody {
        public Rating {
            require(councilId != null, "council id is required");
            members = List.copyOf(members);
            require(!members.isEmpty() && members.size() <= Limits.MAX_RATED_MEMBERS, "a rating has 1 to 64 members");
        }

        @Override
        public EventKind kind() {
            return EventKind.RATING;
        }
    }

    /** One ranked member: mean rank position (1 = best) times 1000, and how many reviewers ranked it. */
    record RatedMember(NodeId member, int averageRankMilli, int rankings) {
        public RatedMember {
            require(member != null, "member is required");
            require(averageRankMilli >= 1000 && rankings >= 1, "rank is at least 1 and rankings at least 1");
        }
    }

    /** Proof that {@code accused} signed two different events with the same seq. */
    record EquivocationObserved(NodeId accused, long seq, SignedEvent first, SignedEvent second)
            implements EventBody {
        public EquivocationObserved {
            require(accused != null && first != null && second != null, "accused and both events are required");
            require(first.author().equals(accused) && second.author().equals(accused),
                    "both events must be authored by the accused");
            require(first.seq() == seq && second.seq() == seq, "both events must have the proof's seq");
            require(!java.util.Arrays.equals(first.payload(), second.payload()), "the two events must differ");
        }

        @Override
        public EventKind kind() {
            return EventKind.EQUIVOCATION_OBSERVED;
        }
    }

    /** A body kind this version does not know (a newer node wrote it): kept verbatim, ignored. */
    record Unknown(int fieldNumber) implements EventBody {
        @Override
        public EventKind kind() {
            return EventKind.UNKNOWN;
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void requireText(String s, String what) {
        require(s != null, what + " is required");
        require(s.length() <= Limits.MAX_TEXT_BYTES
                && s.getBytes(StandardCharsets.UTF_8).length <= Limits.MAX_TEXT_BYTES, what + " is too long");
    }
}
