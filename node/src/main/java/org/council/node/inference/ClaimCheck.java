package org.council.node.inference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.council.bridge.ModelName;
import org.council.crypto.NodeId;
import org.council.crypto.Sha256;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.node.wire.RemoteRequest;

/**
 * What a requester checks a server's receipt claim against, and the bounds an honest server
 * claims within (docs/reputation.md, "Credits"). Every number the credits depend on is bounded by
 * something the requester knows itself:
 * <ul>
 *   <li>the model is the one it asked for;</li>
 *   <li>the parameter count is what the server announced for that model in its newest
 *       capabilities event, or at most {@link Credits#FLOOR_PARAMETERS_MILLIONS} (the floor
 *       weight) when it announced none; never above {@link Credits#MAX_PARAMETERS_MILLIONS};</li>
 *   <li>prompt tokens at most {@link #promptBound}: the signed request's bytes plus template slack.
 *       Byte-level tokenizers (BPE, SentencePiece with byte fallback) never make more than one
 *       token of one byte of text; chat templates add a few tokens per message and around the
 *       conversation;</li>
 *   <li>completion tokens at most {@link #completionBound}: what it asked for ({@code max_tokens},
 *       or {@link #DEFAULT_MAX_TOKENS} when it left it out), and at most one token per byte
 *       received plus {@link #COMPLETION_SLACK_TOKENS} (end-of-sequence and other tokens that
 *       produce no text);</li>
 *   <li>credits equal to {@link Credits#milli} of those numbers, so at most the per-job cap.</li>
 * </ul>
 * An embedding job ({@link #embeddingProblem}) is checked the same way, its input tokens bounded as
 * prompt tokens (slack per input rather than per message), no completion tokens at all, the
 * response hash over the vector bytes received, and credits {@link Credits#embeddingMilli}.
 * Stateless and thread-safe (the verifier is).
 */
public final class ClaimCheck {

    /** Completion tokens a job may generate when the request leaves {@code max_tokens} out. */
    static final int DEFAULT_MAX_TOKENS = 4096;
    /** Template tokens per conversation (BOS, a short built-in system prompt). */
    static final int PROMPT_SLACK_TOKENS = 256;
    /** Template tokens per message (role markers). */
    static final int PROMPT_SLACK_PER_MESSAGE = 16;
    /** Completion tokens that carry no text (end of sequence). */
    static final int COMPLETION_SLACK_TOKENS = 16;
    /** Most bytes of text one streamed token may carry before the requester stops reading. */
    static final int MAX_BYTES_PER_TOKEN = 256;

    private final NodeId self;
    private final SignatureVerifier verifier = new SignatureVerifier();
    private final Function<NodeId, EventBody.CapabilitiesAnnounced> capabilities;

    /** {@code capabilities} gives a node's newest announcement, or null. */
    public ClaimCheck(NodeId self, Function<NodeId, EventBody.CapabilitiesAnnounced> capabilities) {
        this.self = self;
        this.capabilities = capabilities;
    }

    /** The most completion tokens a job of {@code maxTokens} (0: not given) may generate. */
    static long completionCap(int maxTokens) {
        return maxTokens > 0 ? maxTokens : DEFAULT_MAX_TOKENS;
    }

    /** Prompt tokens (an embedding job's input tokens) a request can hold at most. */
    static long promptBound(RemoteRequest r) {
        int parts = r.kind() == RemoteRequest.Kind.EMBED ? r.inputs().size() : r.messages().size();
        return r.requestBytes().length + (long) PROMPT_SLACK_PER_MESSAGE * parts + PROMPT_SLACK_TOKENS;
    }

    static long completionBound(RemoteRequest r, long receivedBytes) {
        return Math.min(completionCap(r.maxTokens()), receivedBytes + COMPLETION_SLACK_TOKENS);
    }

    /** Bytes of thinking a job may stream besides its text: as many as its text may have. */
    static long thinkingBound(long cap) {
        return cap * MAX_BYTES_PER_TOKEN;
    }

    /** Whether a stream of {@code chunks} tokens and {@code bytes} of text is already more than was asked for. */
    static boolean overrun(RemoteRequest r, long chunks, long bytes) {
        long cap = completionCap(r.maxTokens());
        return chunks > cap + COMPLETION_SLACK_TOKENS || bytes > cap * MAX_BYTES_PER_TOKEN;
    }

    /** Why the claim must not be acknowledged, or null when it is right. */
    public String problem(NodeId server, RemoteRequest r, SignedEvent proposal, String text) {
        return problem(server, r, proposal, text, 0);
    }

    /**
     * As above, where {@code extraBytes} of thinking and tool calls were received besides the
     * text: they count towards the completion bound, not the response hash.
     */
    public String problem(NodeId server, RemoteRequest r, SignedEvent proposal, String text, long extraBytes) {
        byte[] received = text.getBytes(StandardCharsets.UTF_8);
        return problem(server, r, proposal, received, completionBound(r, received.length + extraBytes),
                (received.length + extraBytes) + " bytes received and max_tokens " + r.maxTokens());
    }

    /**
     * Why the claim for an embedding job must not be acknowledged, or null: as for a chat, with the
     * response hash over the {@code vectors} bytes received, no completion tokens, and the credits
     * of {@link Credits#embeddingMilli}.
     */
    public String embeddingProblem(NodeId server, RemoteRequest r, SignedEvent proposal, byte[] vectors) {
        return problem(server, r, proposal, vectors, 0, "an embedding job");
    }

    private String problem(NodeId server, RemoteRequest r, SignedEvent proposal, byte[] received, long completionBound,
                           String completionBasis) {
        if (!proposal.author().equals(server) || !EventCodec.signatureValid(verifier, proposal)) {
            return "the claim is not signed by the server";
        }
        if (!(proposal.body() instanceof EventBody.ServiceProposed c)) {
            return "the claim is not a service proposal";
        }
        if (!c.jobId().equals(r.jobId()) || !c.requester().equals(self)) {
            return "the claim names another job or requester";
        }
        if (!c.model().equals(r.model())) {
            return "the claim names model " + c.model() + ", not the requested " + r.model();
        }
        if (!Arrays.equals(c.requestHash(), Sha256.hash(r.requestBytes()))) {
            return "the claim's request hash is not that of the signed request";
        }
        if (!Arrays.equals(c.responseHash(), Sha256.hash(received))) {
            return "the claim's response hash is not that of the " + (r.kind() == RemoteRequest.Kind.EMBED
                    ? "vectors" : "text") + " received";
        }
        String params = parametersProblem(server, r.model(), c.parametersMillions());
        if (params != null) {
            return params;
        }
        if (c.promptTokens() > promptBound(r)) {
            return "the claim counts " + c.promptTokens() + " prompt tokens for a request of "
                    + r.requestBytes().length + " bytes (at most " + promptBound(r) + ")";
        }
        if (c.completionTokens() > completionBound) {
            return "the claim counts " + c.completionTokens() + " completion tokens for " + completionBasis
                    + " (at most " + completionBound + ")";
        }
        long expected = r.kind() == RemoteRequest.Kind.EMBED
                ? Credits.embeddingMilli(c.parametersMillions(), c.promptTokens())
                : Credits.milli(c.parametersMillions(), c.promptTokens(), c.completionTokens());
        if (c.creditsMilli() != expected) {
            return "the claimed credits " + c.creditsMilli() + " do not follow the formula (" + expected + ")";
        }
        return null;
    }

    private String parametersProblem(NodeId server, String model, long claimed) {
        if (claimed > Credits.MAX_PARAMETERS_MILLIONS) {
            return "the claim's parameter count " + claimed + " M is beyond any priced model";
        }
        long announced = announcedParameters(capabilities.apply(server), model);
        if (announced < 0) {
            return claimed <= Credits.FLOOR_PARAMETERS_MILLIONS ? null : "the claim's parameter count " + claimed
                    + " M for " + model + " was never announced (at most the floor, "
                    + Credits.FLOOR_PARAMETERS_MILLIONS + " M)";
        }
        return claimed == announced ? null : "the claim's parameter count " + claimed + " M is not the "
                + announced + " M the server announced for " + model;
    }

    /** The size a server announced for {@code model}, or -1 when it announced none. */
    static long announcedParameters(EventBody.CapabilitiesAnnounced caps, String model) {
        if (caps == null) {
            return -1;
        }
        return ModelName.find(model, caps.models().stream().map(EventBody.ModelOffer::name).toList())
                .flatMap(name -> caps.models().stream().filter(o -> o.name().equals(name)).findFirst())
                .map(EventBody.ModelOffer::parametersMillions).orElse(-1L);
    }
}
