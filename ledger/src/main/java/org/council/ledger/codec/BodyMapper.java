package org.council.ledger.codec;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.wire.CapabilitiesAnnounced;
import org.council.ledger.wire.EquivocationObserved;
import org.council.ledger.wire.EventPayload;
import org.council.ledger.wire.ModelOffer;
import org.council.ledger.wire.RatedMember;
import org.council.ledger.wire.Rating;
import org.council.ledger.wire.ServiceAcknowledged;
import org.council.ledger.wire.ServiceProposed;

/** Maps event bodies between their Protobuf form and the domain records. */
final class BodyMapper {

    /** Body field numbers from here on are kinds this version does not know. */
    private static final int FIRST_UNKNOWN_BODY_FIELD = 15;

    private BodyMapper() {
    }

    static void setBody(EventPayload.Builder b, EventBody body) {
        EventPayload.Builder unused = switch (body.kind()) {
            case CAPABILITIES_ANNOUNCED -> b.setCapabilitiesAnnounced(toWire((EventBody.CapabilitiesAnnounced) body));
            case SERVICE_PROPOSED -> b.setServiceProposed(toWire((EventBody.ServiceProposed) body));
            case SERVICE_ACKNOWLEDGED -> b.setServiceAcknowledged(toWire((EventBody.ServiceAcknowledged) body));
            case RATING -> b.setRating(toWire((EventBody.Rating) body));
            case EQUIVOCATION_OBSERVED -> b.setEquivocationObserved(toWire((EventBody.EquivocationObserved) body));
            case UNKNOWN -> throw new IllegalArgumentException("cannot write an event of unknown kind");
        };
    }

    /**
     * The domain body of a parsed payload; null when it has none at all.
     *
     * @throws IllegalArgumentException when the body is malformed
     */
    static EventBody fromWire(EventPayload p) {
        var unknownBodies = p.getUnknownFields().asMap().entrySet().stream()
                .filter(e -> e.getKey() >= FIRST_UNKNOWN_BODY_FIELD)
                .toList();
        if (unknownBodies.size() > 1 || (unknownBodies.size() == 1 && p.getBodyCase() != EventPayload.BodyCase.BODY_NOT_SET)) {
            throw new IllegalArgumentException("an event has exactly one body");
        }
        for (var e : unknownBodies) {
            var field = e.getValue();
            if (field.getLengthDelimitedList().size() != 1 || !field.getVarintList().isEmpty()
                    || !field.getFixed32List().isEmpty() || !field.getFixed64List().isEmpty()
                    || !field.getGroupList().isEmpty()) {
                throw new IllegalArgumentException("a body of unknown kind " + e.getKey() + " must be one message");
            }
        }
        return switch (p.getBodyCase()) {
            case CAPABILITIES_ANNOUNCED -> fromWire(p.getCapabilitiesAnnounced());
            case SERVICE_PROPOSED -> fromWire(p.getServiceProposed());
            case SERVICE_ACKNOWLEDGED -> fromWire(p.getServiceAcknowledged());
            case RATING -> fromWire(p.getRating());
            case EQUIVOCATION_OBSERVED -> fromWire(p.getEquivocationObserved());
            case BODY_NOT_SET -> unknownBodies.isEmpty() ? null : new EventBody.Unknown(unknownBodies.get(0).getKey());
        };
    }

    private static CapabilitiesAnnounced toWire(EventBody.CapabilitiesAnnounced c) {
        CapabilitiesAnnounced.Builder b = CapabilitiesAnnounced.newBuilder()
                .setGpu(c.gpu()).setConcurrency(c.concurrency()).setAddress(c.address());
        for (EventBody.ModelOffer m : c.models()) {
            b.addModels(ModelOffer.newBuilder().setName(m.name()).setParametersMillions(m.parametersMillions())
                    .setQuantization(m.quantization()).setContextLength(m.contextLength())
                    .addAllCapabilities(m.capabilities()));
        }
        return b.build();
    }

    private static EventBody.CapabilitiesAnnounced fromWire(CapabilitiesAnnounced c) {
        List<EventBody.ModelOffer> models = new ArrayList<>(c.getModelsCount());
        for (ModelOffer m : c.getModelsList()) {
            models.add(new EventBody.ModelOffer(m.getName(), m.getParametersMillions(), m.getQuantization(),
                    m.getContextLength(), m.getCapabilitiesList()));
        }
        return new EventBody.CapabilitiesAnnounced(models, c.getGpu(), c.getConcurrency(), c.getAddress());
    }

    private static ServiceProposed toWire(EventBody.ServiceProposed p) {
        return ServiceProposed.newBuilder()
                .setJobId(bytes(p.jobId().bytes()))
                .setRequester(bytes(p.requester().bytes()))
                .setModel(p.model())
                .setParametersMillions(p.parametersMillions())
                .setPromptTokens(p.promptTokens())
                .setCompletionTokens(p.completionTokens())
                .setQueueMs(p.queueMs())
                .setDurationMs(p.durationMs())
                .setRequestHash(bytes(p.requestHash()))
                .setResponseHash(bytes(p.responseHash()))
                .setCreditsMilli(p.creditsMilli())
                .setStage(p.stage())
                .build();
    }

    private static EventBody.ServiceProposed fromWire(ServiceProposed p) {
        return new EventBody.ServiceProposed(JobId.of(p.getJobId().toByteArray()),
                NodeId.of(p.getRequester().toByteArray()), p.getModel(), unsigned(p.getParametersMillions()),
                unsignedInt(p.getPromptTokens()), unsignedInt(p.getCompletionTokens()), unsigned(p.getQueueMs()),
                unsigned(p.getDurationMs()), p.getRequestHash().toByteArray(), p.getResponseHash().toByteArray(),
                unsigned(p.getCreditsMilli()), p.getStage());
    }

    private static ServiceAcknowledged toWire(EventBody.ServiceAcknowledged a) {
        return ServiceAcknowledged.newBuilder()
                .setJobId(bytes(a.jobId().bytes()))
                .setServer(bytes(a.server().bytes()))
                .setProposalSeq(a.proposalSeq())
                .setProposalId(bytes(a.proposalId().bytes()))
                .build();
    }

    private static EventBody.ServiceAcknowledged fromWire(ServiceAcknowledged a) {
        return new EventBody.ServiceAcknowledged(JobId.of(a.getJobId().toByteArray()),
                NodeId.of(a.getServer().toByteArray()), unsigned(a.getProposalSeq()),
                EventId.of(a.getProposalId().toByteArray()));
    }

    private static Rating toWire(EventBody.Rating r) {
        Rating.Builder b = Rating.newBuilder().setCouncilId(bytes(r.councilId().bytes()));
        for (EventBody.RatedMember m : r.members()) {
            b.addMembers(RatedMember.newBuilder().setMember(bytes(m.member().bytes()))
                    .setAverageRankMilli(m.averageRankMilli()).setRankings(m.rankings()));
        }
        return b.build();
    }

    private static EventBody.Rating fromWire(Rating r) {
        List<EventBody.RatedMember> members = new ArrayList<>(r.getMembersCount());
        for (RatedMember m : r.getMembersList()) {
            members.add(new EventBody.RatedMember(NodeId.of(m.getMember().toByteArray()),
                    unsignedInt(m.getAverageRankMilli()), unsignedInt(m.getRankings())));
        }
        return new EventBody.Rating(JobId.of(r.getCouncilId().toByteArray()), members);
    }

    private static EquivocationObserved toWire(EventBody.EquivocationObserved e) {
        return EquivocationObserved.newBuilder()
                .setAccused(bytes(e.accused().bytes()))
                .setSeq(e.seq())
                .setFirst(bytes(e.first().envelopeUnsafe()))
                .setSecond(bytes(e.second().envelopeUnsafe()))
                .build();
    }

    private static EventBody.EquivocationObserved fromWire(EquivocationObserved e) {
        return new EventBody.EquivocationObserved(NodeId.of(e.getAccused().toByteArray()), unsigned(e.getSeq()),
                inner(e.getFirst()), inner(e.getSecond()));
    }

    private static org.council.ledger.event.SignedEvent inner(ByteString envelope) {
        DecodeResult r = EventCodec.decode(envelope.toByteArray());
        if (r instanceof DecodeResult.Decoded d) {
            return d.event();
        }
        throw new IllegalArgumentException("proof event: " + ((DecodeResult.Undecodable) r).detail());
    }

    private static ByteString bytes(byte[] b) {
        return ByteString.copyFrom(b);
    }

    private static long unsigned(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("value out of range");
        }
        return v;
    }

    private static int unsignedInt(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("value out of range");
        }
        return v;
    }
}
