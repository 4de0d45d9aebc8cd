package org.council.node.inference;

import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import org.council.bridge.InferenceResult;
import org.council.crypto.Sha256;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.Limits;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.PeerLink;
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

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A finished job: the backend's counts, bounded as the requester bounds them. */
    void full(PeerLink from, RemoteRequest r, InferenceResult result, String text, long thinkingBytes, long elapsedMs) {
        long extraBytes = thinkingBytes + RemoteToolCalls.encode(result.toolCalls()).getBytes(StandardCharsets.UTF_8).length;
        long durationMs = result.usage().totalDurationNanos() / 1_000_000;
        send(from, r, result.usage().promptTokens(), result.usage().completionTokens(), text, extraBytes,
                RemoteToolCalls.encode(result.toolCalls()), Math.max(0, elapsedMs - durationMs), durationMs,
                result.doneReason());
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
        send(from, r, promptEstimate(r), run.tokens.chunks, run.tokens.sent.toString(), 0, "", 0, elapsedMs, reason);
    }

    private void send(PeerLink from, RemoteRequest r, long promptReported, long completionReported, String text,
                      long extraBytes, String toolCallsJson, long queueMs, long durationMs, String doneReason) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // clamp first, then price what is recorded: the claim is exactly what the requester will accept
        int prompt = (int) Math.min(Integer.MAX_VALUE, Math.min(Math.max(0, promptReported), ClaimCheck.promptBound(r)));
        int completion = (int) Math.min(Integer.MAX_VALUE, Math.min(Math.max(0, completionReported),
                ClaimCheck.completionBound(r, bytes.length + extraBytes)));
        long params = catalog.parametersMillions(r.model());
        EventBody.ServiceProposed claim = new EventBody.ServiceProposed(r.jobId(), r.requester(), r.model(), params,
                prompt, completion, queueMs, durationMs, Sha256.hash(r.requestBytes()), Sha256.hash(bytes),
                Credits.milli(params, prompt, completion), r.stage().isBlank() ? "chat" : r.stage());
        store.append(claim).whenComplete((proposal, err) -> context.runOnContext(v -> {
            if (err != null) {
                LOG.log(System.Logger.Level.ERROR, "could not record the receipt for job " + r.jobId().hex(), err);
                from.send(new WireMessage.InferenceError(r.jobId().bytes(), InferenceErrorCode.BACKEND_FAILED,
                        "the server could not record its receipt", 0));
            } else if (!from.isClosed()) { // closed: the claim stays in the ledger, unpaid until acknowledged
                from.send(new WireMessage.InferenceDone(r.jobId().bytes(), doneReason, proposal.envelope(),
                        toolCallsJson));
            }
        }));
    }
}
