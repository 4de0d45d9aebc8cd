package org.council.node.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureDomain;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.JobId;

/**
 * A remote inference request as the requester signed it. {@link #requestBytes()} are the exact
 * signed payload; a receipt's request hash is their SHA-256. Immutable.
 */
public record RemoteRequest(JobId jobId, NodeId requester, NodeId server, long issuedMs, String model,
                            List<ChatMessage> messages, int maxTokens, String stage, byte[] requestBytes,
                            byte[] signature) {

    /** Domain of the requester's signature over the request payload. */
    public static final SignatureDomain DOMAIN = new SignatureDomain("council/inference/request/v1");

    /** Builds and signs a request. */
    public static RemoteRequest sign(NodeKeyPair requester, NodeId server, JobId jobId, long issuedMs, String model,
                                     List<ChatMessage> messages, int maxTokens, String stage) {
        InferenceRequestPayload.Builder b = InferenceRequestPayload.newBuilder()
                .setJobId(ByteString.copyFrom(jobId.bytes()))
                .setRequester(ByteString.copyFrom(requester.id().bytes()))
                .setServer(ByteString.copyFrom(server.bytes()))
                .setIssuedMs(issuedMs)
                .setModel(model)
                .setMaxTokens(maxTokens)
                .setStage(stage);
        for (ChatMessage m : messages) {
            b.addMessages(ChatTurn.newBuilder().setRole(m.role()).setContent(m.content()));
        }
        byte[] bytes = b.build().toByteArray();
        return new RemoteRequest(jobId, requester.id(), server, issuedMs, model, List.copyOf(messages), maxTokens, stage,
                bytes, requester.sign(DOMAIN, bytes));
    }

    public WireMessage.InferenceRequest toWire() {
        return new WireMessage.InferenceRequest(requestBytes, signature);
    }

    /**
     * Decodes a received request and checks its signature.
     *
     * @throws IllegalArgumentException with a reason when it is malformed or the signature is bad
     */
    public static RemoteRequest verify(WireMessage.InferenceRequest wire, SignatureVerifier verifier) {
        InferenceRequestPayload p;
        try {
            p = InferenceRequestPayload.parseFrom(wire.request());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("request does not parse: " + e.getMessage());
        }
        NodeId requester = NodeId.of(p.getRequester().toByteArray());
        if (!verifier.verify(requester, DOMAIN, wire.request(), wire.signature())) {
            throw new IllegalArgumentException("request signature does not verify");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatTurn t : p.getMessagesList()) {
            messages.add(new ChatMessage(t.getRole(), t.getContent()));
        }
        if (messages.isEmpty() || p.getModel().isBlank()) {
            throw new IllegalArgumentException("request needs a model and at least one message");
        }
        return new RemoteRequest(JobId.of(p.getJobId().toByteArray()), requester, NodeId.of(p.getServer().toByteArray()),
                p.getIssuedMs(), p.getModel(), messages, p.getMaxTokens(), p.getStage(), wire.request(), wire.signature());
    }
}
