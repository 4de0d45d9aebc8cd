package org.council.node.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureDomain;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.JobId;

/**
 * A remote inference request as the requester signed it: a chat ({@code messages}) or an
 * embedding job ({@code inputs}, one vector each). {@link #requestBytes()} are the exact signed
 * payload; a receipt's request hash is their SHA-256. Immutable.
 */
public record RemoteRequest(JobId jobId, NodeId requester, NodeId server, long issuedMs, String model,
                            List<ChatMessage> messages, int maxTokens, String stage, RemoteFeatures features,
                            Kind kind, List<String> inputs, byte[] requestBytes, byte[] signature) {

    /** wire.proto's {@code InferenceRequestPayload.Kind}, mapped by number. */
    public enum Kind {
        CHAT(0), EMBED(1);

        private final int number;

        Kind(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        /** The kind of this number; a number this node does not know is refused like a malformed request. */
        static Kind fromNumber(int n) {
            for (Kind k : values()) {
                if (k.number == n) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown job kind " + n);
        }
    }

    /**
     * Inputs of one embedding job at most: with the vectors limited to one frame
     * ({@link EmbeddingVectors#MAX_BYTES}) more would rarely fit, and a server refuses more before it
     * embeds anything rather than compute vectors it cannot send.
     */
    public static final int MAX_INPUTS = 256;

    /** Domain of the requester's signature over the request payload. */
    public static final SignatureDomain DOMAIN = new SignatureDomain("council/inference/request/v1");

    /**
     * Images of one request, all messages together, at most this many bytes (decoded): the signed
     * request travels in one frame of at most {@link FrameCodec#MAX_FRAME_BYTES}, which must also
     * hold the text and the envelope.
     */
    public static final int MAX_IMAGE_BYTES = 768 * 1024;

    /** Builds and signs a plain chat request. */
    public static RemoteRequest sign(NodeKeyPair requester, NodeId server, JobId jobId, long issuedMs, String model,
                                     List<ChatMessage> messages, int maxTokens, String stage) {
        return sign(requester, server, jobId, issuedMs, model, messages, maxTokens, stage, RemoteFeatures.NONE);
    }

    /**
     * Builds and signs a request with {@code features}; messages carry their images, tool calls
     * and tool names.
     *
     * @throws IllegalArgumentException when the images exceed {@link #MAX_IMAGE_BYTES} or are not
     *     base64, or the signed request would not fit one frame
     */
    public static RemoteRequest sign(NodeKeyPair requester, NodeId server, JobId jobId, long issuedMs, String model,
                                     List<ChatMessage> messages, int maxTokens, String stage, RemoteFeatures features) {
        InferenceRequestPayload.Builder b = header(requester, server, jobId, issuedMs, model, stage)
                .setMaxTokens(maxTokens)
                .setOptionsJson(features.optionsJson())
                .setFormatJson(features.formatJson())
                .setThink(features.think())
                .setToolsJson(features.toolsJson());
        long imageBytes = 0;
        for (ChatMessage m : messages) {
            ChatTurn.Builder t = ChatTurn.newBuilder().setRole(m.role()).setContent(m.content())
                    .setToolCallsJson(RemoteToolCalls.encode(m.toolCalls())).setToolName(m.toolName());
            for (String image : m.images()) {
                byte[] raw;
                try {
                    raw = Base64.getDecoder().decode(image.strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("an image is not valid base64");
                }
                imageBytes += raw.length;
                if (imageBytes > MAX_IMAGE_BYTES) {
                    throw new IllegalArgumentException("images of more than " + MAX_IMAGE_BYTES / 1024
                            + " KiB in one request cannot be sent to a peer (one frame holds at most "
                            + FrameCodec.MAX_FRAME_BYTES / 1024 + " KiB)");
                }
                t.addImages(ByteString.copyFrom(raw));
            }
            b.addMessages(t);
        }
        byte[] bytes = fitting(b);
        return new RemoteRequest(jobId, requester.id(), server, issuedMs, model, List.copyOf(messages), maxTokens, stage,
                features, Kind.CHAT, List.of(), bytes, requester.sign(DOMAIN, bytes));
    }

    /**
     * Builds and signs an embedding job: one vector for each of {@code inputs}; {@code optionsJson}
     * as in {@link RemoteFeatures} (empty: none).
     *
     * @throws IllegalArgumentException when there are no inputs or more than {@link #MAX_INPUTS}, or
     *     the signed request would not fit one frame
     */
    public static RemoteRequest signEmbedding(NodeKeyPair requester, NodeId server, JobId jobId, long issuedMs,
                                              String model, List<String> inputs, String optionsJson, String stage) {
        if (inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
            throw new IllegalArgumentException("an embedding job for a peer takes 1 to " + MAX_INPUTS + " inputs, not "
                    + inputs.size());
        }
        RemoteFeatures features = new RemoteFeatures(optionsJson, "", "", "");
        byte[] bytes = fitting(header(requester, server, jobId, issuedMs, model, stage)
                .setOptionsJson(features.optionsJson()).setKind(InferenceRequestPayload.Kind.EMBED)
                .addAllInputs(inputs));
        return new RemoteRequest(jobId, requester.id(), server, issuedMs, model, List.of(), 0, stage, features,
                Kind.EMBED, List.copyOf(inputs), bytes, requester.sign(DOMAIN, bytes));
    }

    private static InferenceRequestPayload.Builder header(NodeKeyPair requester, NodeId server, JobId jobId,
                                                          long issuedMs, String model, String stage) {
        return InferenceRequestPayload.newBuilder()
                .setJobId(ByteString.copyFrom(jobId.bytes()))
                .setRequester(ByteString.copyFrom(requester.id().bytes()))
                .setServer(ByteString.copyFrom(server.bytes()))
                .setIssuedMs(issuedMs)
                .setModel(model)
                .setStage(stage);
    }

    private static byte[] fitting(InferenceRequestPayload.Builder b) {
        byte[] bytes = b.build().toByteArray();
        if (bytes.length > FrameCodec.MAX_FRAME_BYTES - 1024) {
            throw new IllegalArgumentException("the request is " + bytes.length / 1024 + " KiB; one frame to a peer "
                    + "holds at most " + FrameCodec.MAX_FRAME_BYTES / 1024 + " KiB");
        }
        return bytes;
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
        RemoteFeatures features = new RemoteFeatures(p.getOptionsJson(), p.getFormatJson(), p.getThink(),
                p.getToolsJson());
        features.options(); // malformed features are refused here, before anything is scheduled
        features.requestFeatures();
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatTurn t : p.getMessagesList()) {
            List<String> images = t.getImagesList().stream()
                    .map(i -> Base64.getEncoder().encodeToString(i.toByteArray())).toList();
            messages.add(new ChatMessage(t.getRole(), t.getContent(), images,
                    RemoteToolCalls.decode(t.getToolCallsJson()), t.getToolName(), ""));
        }
        Kind kind = Kind.fromNumber(p.getKindValue());
        List<String> inputs = List.copyOf(p.getInputsList());
        if (p.getModel().isBlank()) {
            throw new IllegalArgumentException("request needs a model");
        }
        if (kind == Kind.CHAT && (messages.isEmpty() || !inputs.isEmpty())) {
            throw new IllegalArgumentException("a chat request needs at least one message and no inputs");
        }
        if (kind == Kind.EMBED && (inputs.isEmpty() || inputs.size() > MAX_INPUTS || !messages.isEmpty()
                || !features.equals(new RemoteFeatures(features.optionsJson(), "", "", "")))) {
            throw new IllegalArgumentException("an embedding request needs 1 to " + MAX_INPUTS
                    + " inputs and no messages, format, think or tools");
        }
        return new RemoteRequest(JobId.of(p.getJobId().toByteArray()), requester, NodeId.of(p.getServer().toByteArray()),
                p.getIssuedMs(), p.getModel(), messages, p.getMaxTokens(), p.getStage(), features, kind, inputs,
                wire.request(), wire.signature());
    }
}
