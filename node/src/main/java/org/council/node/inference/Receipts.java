package org.council.node.inference;

import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.council.bridge.InferenceResult;
import org.council.crypto.Sha256;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.Limits;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.PeerLink;
import org.council.node.wire.EmbeddingVectors;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.RemoteToolCalls;
import org.council.node.wire.WireMessage;

/**
 * The server's half of a receipt: builds the claim within the bounds the requester checks
 * ({@link ClaimCheck}), prices exactly the counts it records, appends it and sends it. Called on
 * the peer context only (by {@link RemoteInferenceServer}).
 */
final class Receipts {

    private static final System.Logger LOG = System.getLogger(Receipts.class.getName());
    /** Rule-of-thumb bytes of text per prompt token, for a job whose backend never reported usage. */
    static final int BYTES_PER_PROMPT_TOKEN = 4;
    /** A job cut short before this many tokens, with a prompt under {@link #MIN_PARTIAL_PROMPT_TOKENS}, is not claimed. */
    static final int MIN_PARTIAL_TOKENS = 16;
    /** Estimated prompt tokens from which a cut-short job is claimed however few tokens it delivered. */
    static final int MIN_PARTIAL_PROMPT_TOKENS = 1024;

    private final LedgerStore store;
    private final ModelCatalog catalog;
    private final ContextInternal context;

    Receipts(LedgerStore store, ModelCatalog catalog, ContextInternal context) {
        this.store = store;
        this.catalog = catalog;
        this.context = context;
    }

    /** Why a request could not yield a receipt, or null: checked before it is scheduled. */
    static String malformed(RemoteRequest r) {
        if (utf8(r.model()) > Limits.MAX_TEXT_BYTES) {
            return "the model name is longer than " + Limits.MAX_TEXT_BYTES + " bytes";
        }
        if (utf8(r.stage()) > Limits.MAX_TEXT_BYTES) {
            return "the stage is longer than " + Limits.MAX_TEXT_BYTES + " bytes";
        }
        if (r.maxTokens() < 0) {
            return "max_tokens is negative";
        }
        return null;
    }

    private static String defaultStage(RemoteRequest r) {
        return r.kind() == RemoteRequest.Kind.EMBED ? "embed" : "chat";
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A finished job: the backend's counts, bounded as the requester bounds them. */
    void full(PeerLink from, RemoteRequest r, InferenceResult result, String text, long thinkingBytes, long elapsedMs) {
        long extraBytes = thinkingBytes + RemoteToolCalls.encode(result.toolCalls()).getBytes(StandardCharsets.UTF_8).length;
        long durationMs = result.usage().totalDurationNanos() / 1_000_000;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(from, r, result.usage().promptTokens(), result.usage().completionTokens(), bytes,
                ClaimCheck.completionBound(r, bytes.length + extraBytes), Math.max(0, elapsedMs - durationMs), durationMs,
                done(r, result.doneReason(), RemoteToolCalls.encode(result.toolCalls()), NO_VECTORS));
    }

    /**
     * A finished embedding job: its input tokens as the backend counted them (bounded like a
     * prompt), no completion tokens, priced by {@link Credits#embeddingMilli}; the vectors go with
     * the claim, whose response hash is theirs. Vectors too large for one frame are not sent and
     * not claimed: the requester is told to ask for fewer inputs at a time.
     */
    void embedded(PeerLink from, RemoteRequest r, InferenceResult result, long elapsedMs) {
        EmbeddingVectors.Packed vectors;
        try {
            vectors = EmbeddingVectors.encode(result.embeddings());
            if (result.embeddings().size() != r.inputs().size()) {
                throw new IllegalArgumentException("the backend returned " + result.embeddings().size()
                        + " vectors for " + r.inputs().size() + " inputs");
            }
        } catch (IllegalArgumentException e) {
            from.send(new WireMessage.InferenceError(r.jobId().bytes(), InferenceErrorCode.BACKEND_FAILED,
                    e.getMessage(), 0));
            return;
        }
        long durationMs = result.usage().totalDurationNanos() / 1_000_000;
        send(from, r, result.usage().promptTokens(), 0, vectors.bytes(), 0, Math.max(0, elapsedMs - durationMs),
                durationMs, done(r, result.doneReason(), "", vectors));
    }

    /**
     * Whether a job cut short after {@code delivered} tokens is worth a claim: at least
     * {@link #MIN_PARTIAL_TOKENS} tokens, or a prompt of at least {@link #MIN_PARTIAL_PROMPT_TOKENS}
     * (its prefill was the work). Below both, the job is worth at most (15 + 256) / 100 credits
     * times the model's weight, less than an event every peer stores forever; a requester that
     * stops such jobs early gets that little for free, and still waits its turn in the queue.
     */
    static boolean worthClaiming(RemoteRequest r, long delivered) {
        return delivered >= MIN_PARTIAL_TOKENS || promptEstimate(r) >= MIN_PARTIAL_PROMPT_TOKENS;
    }

    private static long promptEstimate(RemoteRequest r) {
        return r.messages().stream().mapToLong(m -> utf8(m.content())).sum() / BYTES_PER_PROMPT_TOKEN;
    }

    /**
     * A job that ended after delivering tokens without a usage report: one token per streamed
     * chunk, and the prompt estimated at {@link #BYTES_PER_PROMPT_TOKEN} bytes a token.
     */
    void partial(PeerLink from, RemoteRequest r, RemoteInferenceServer.Running run, String reason, long elapsedMs) {
        byte[] bytes = run.tokens.sent.toString().getBytes(StandardCharsets.UTF_8);
        send(from, r, promptEstimate(r), run.tokens.chunks, bytes, ClaimCheck.completionBound(r, bytes.length), 0,
                elapsedMs, done(r, reason, "", NO_VECTORS));
    }

    private static final EmbeddingVectors.Packed NO_VECTORS = new EmbeddingVectors.Packed(new byte[0], 0);

    /** The done message, waiting for the signed proposal. */
    private static Function<byte[], WireMessage.InferenceDone> done(RemoteRequest r, String reason,
            String toolCallsJson, EmbeddingVectors.Packed vectors) {
        return proposal -> new WireMessage.InferenceDone(r.jobId().bytes(), reason, proposal, toolCallsJson,
                vectors.bytes(), vectors.dimensions());
    }

    /** Claims {@code response} (hashed as received) with counts clamped to the requester's bounds. */
    private void send(PeerLink from, RemoteRequest r, long promptReported, long completionReported, byte[] response,
                      long completionBound, long queueMs, long durationMs,
                      Function<byte[], WireMessage.InferenceDone> done) {
        // clamp first, then price what is recorded: the claim is exactly what the requester will accept
        int prompt = (int) Math.min(Integer.MAX_VALUE, Math.min(Math.max(0, promptReported), ClaimCheck.promptBound(r)));
        int completion = (int) Math.min(Integer.MAX_VALUE, Math.min(Math.max(0, completionReported), completionBound));
        long params = catalog.parametersMillions(r.model());
        long credits = r.kind() == RemoteRequest.Kind.EMBED ? Credits.embeddingMilli(params, prompt)
                : Credits.milli(params, prompt, completion);
        EventBody.ServiceProposed claim = new EventBody.ServiceProposed(r.jobId(), r.requester(), r.model(), params,
                prompt, completion, queueMs, durationMs, Sha256.hash(r.requestBytes()), Sha256.hash(response),
                credits, r.stage().isBlank() ? defaultStage(r) : r.stage());
        store.append(claim).whenComplete((proposal, err) -> context.runOnContext(v -> {
            if (err != null) {
                LOG.log(System.Logger.Level.ERROR, "could not record the receipt for job " + r.jobId().hex(), err);
                from.send(new WireMessage.InferenceError(r.jobId().bytes(), InferenceErrorCode.BACKEND_FAILED,
                        "the server could not record its receipt", 0));
            } else if (!from.isClosed()) { // closed: the claim stays in the ledger, unpaid until acknowledged
                from.send(done.apply(proposal.envelope()));
            }
        }));
    }
}
