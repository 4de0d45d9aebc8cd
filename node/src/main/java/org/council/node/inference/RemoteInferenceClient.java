package org.council.node.inference;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.council.api.RefusedClaim;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.PeerLink;
import org.council.node.peer.PeerManager;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteFeatures;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;

/**
 * Asks peers to run inference: signs the request, streams the tokens to the caller, and when the
 * server reports its claim checks it against what was asked and received ({@link ClaimCheck}). If
 * the claim is right this node appends its half of the receipt; if not, it does not pay, says why
 * in the reply and remembers the refusal ({@link RefusedClaims}, shown by the API).
 *
 * <p>A job this node cuts short (cancel, timeout) still pays for what was delivered: the entry stays
 * open for {@link #SETTLE_GRACE} after the caller's reply failed, collecting the tokens already in
 * flight, so that the server's partial claim can be checked and acknowledged. A stream that goes past
 * what was asked ({@link ClaimCheck#overrun}) is cancelled and its claim refused.
 *
 * <p>Its bookkeeping is confined to the peer context: {@link #start} and {@link #infer} may be
 * called from any thread and hop there; the session callbacks arrive there and assert it. Futures
 * complete on the peer context; the token sink is called there too.
 */
public final class RemoteInferenceClient {

    private static final System.Logger LOG = System.getLogger(RemoteInferenceClient.class.getName());
    /** How long a job cut short here waits for the server's partial claim. */
    static final Duration SETTLE_GRACE = Duration.ofSeconds(30);

    private final NodeKeyPair keys;
    private final LedgerStore store;
    private final Function<NodeId, Optional<PeerLink>> links;
    private final ContextInternal context;
    private final LongSupplier clockMillis;
    private final ClaimCheck claims;
    private final RefusedClaims refused;
    // Accessed by the peer context thread only
    // keyed by job id alone (this node draws them at random); a message is for a job only when it
    // comes from the job's server. The key wraps the message's bytes: no copy, no hex per token.
    private final Map<ByteBuffer, PendingJob> pending = new HashMap<>();

    public RemoteInferenceClient(NodeKeyPair keys, LedgerStore store, PeerManager peers, LongSupplier clockMillis,
                                 Function<NodeId, EventBody.CapabilitiesAnnounced> capabilities, RefusedClaims refused) {
        this(keys, store, peers.peerContext(), peers::link, clockMillis, capabilities, refused);
    }

    RemoteInferenceClient(NodeKeyPair keys, LedgerStore store, Context context,
                          Function<NodeId, Optional<PeerLink>> links, LongSupplier clockMillis) {
        this(keys, store, context, links, clockMillis, id -> null, new RefusedClaims());
    }

    /** {@code links} finds the live session with a peer; it is called on {@code context}. */
    RemoteInferenceClient(NodeKeyPair keys, LedgerStore store, Context context,
                          Function<NodeId, Optional<PeerLink>> links, LongSupplier clockMillis,
                          Function<NodeId, EventBody.CapabilitiesAnnounced> capabilities, RefusedClaims refused) {
        this.keys = keys;
        this.store = store;
        this.links = links;
        this.context = (ContextInternal) context;
        this.clockMillis = clockMillis;
        this.claims = new ClaimCheck(keys.id(), capabilities);
        this.refused = refused;
    }

    /** Runs one chat completion on {@code server}. Fails with {@link RemoteInferenceException}. */
    public Future<RemoteReply> infer(NodeId server, String model, List<ChatMessage> messages, int maxTokens, String stage,
                                     Duration timeout, TokenSink sink) {
        return start(server, model, messages, maxTokens, stage, timeout, sink).reply();
    }

    /**
     * Like {@link #infer}, with a way to stop the job: cancelling tells the server to stop and fails
     * the reply with code {@code CANCELLED}; the server's claim for what it delivered until then is
     * still checked and, when right, acknowledged.
     */
    public RemoteCall start(NodeId server, String model, List<ChatMessage> messages, int maxTokens, String stage,
                            Duration timeout, TokenSink sink) {
        return start(server, model, messages, maxTokens, stage, RemoteFeatures.NONE, timeout, sink);
    }

    /** As above, asking {@code features} too; thinking streams to {@code sink.onThinking}. */
    public RemoteCall start(NodeId server, String model, List<ChatMessage> messages, int maxTokens, String stage,
                            RemoteFeatures features, Duration timeout, TokenSink sink) {
        return begin(server, timeout, sink, (jobId, now) -> RemoteRequest.sign(keys, server, jobId, now, model, messages,
                maxTokens, stage, features));
    }

    /**
     * Runs an embedding job on {@code server}: one vector per input (at most
     * {@link RemoteRequest#MAX_INPUTS}), Ollama {@code optionsJson} (empty: none). The reply carries
     * the vectors and is settled like a chat's: the claim is checked ({@link ClaimCheck#embeddingProblem})
     * and acknowledged.
     */
    public RemoteCall startEmbedding(NodeId server, String model, List<String> inputs, String optionsJson, String stage,
                                     Duration timeout) {
        return begin(server, timeout, TokenSink.NONE, (jobId, now) -> RemoteRequest.signEmbedding(keys, server, jobId,
                now, model, inputs, optionsJson, stage));
    }

    /**
     * Signs a request on the peer context ({@code sign} gets the job id and the clock), sends it and
     * tracks it. A caller on the peer context's event loop (an Ollama request on the loop it shares)
     * enters the context in place: a task would queue the request behind the loop's backlog.
     */
    private RemoteCall begin(NodeId server, Duration timeout, TokenSink sink, BiFunction<JobId, Long, RemoteRequest> sign) {
        Promise<RemoteReply> result = Promise.promise();
        JobId jobId = JobId.random();
        ByteBuffer key = ByteBuffer.wrap(jobId.bytes());
        context.emit(v -> {
            PeerLink link = links.apply(server).orElse(null);
            if (link == null) {
                result.fail(new RemoteInferenceException(InferenceErrorCode.NOT_CONNECTED, "no session with " + server.shortHex(), null));
                return;
            }
            RemoteRequest r;
            try { // too large for a frame: refused here, before anything is signed or sent
                r = sign.apply(jobId, clockMillis.getAsLong());
            } catch (IllegalArgumentException e) {
                result.fail(new RemoteInferenceException(InferenceErrorCode.REFUSED, e.getMessage(), null));
                return;
            }
            PendingJob p = new PendingJob(server, r, sink);
            pending.put(key, p);
            p.promise.future().onComplete(result);
            p.timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), id -> stop(server, key, p,
                    new RemoteInferenceException(InferenceErrorCode.TIMEOUT, server.shortHex() + " did not finish within "
                            + timeout.toMillis() + " ms", null)));
            link.send(r.toWire());
        });
        return new RemoteCall(result.future(), () -> context.runOnContext(v -> {
            PendingJob p = pending.get(key);
            if (p != null) {
                stop(server, key, p, new RemoteInferenceException(InferenceErrorCode.CANCELLED, "cancelled by this node",
                        null));
            }
        }));
    }

    /** Tells the server to stop, fails the caller's reply, and waits a while for the partial claim. */
    private void stop(NodeId server, ByteBuffer key, PendingJob p, RemoteInferenceException why) {
        assert context.inThread();
        if (p.promise.future().isComplete()) {
            return;
        }
        context.owner().cancelTimer(p.timer);
        links.apply(server).ifPresent(link -> link.send(new WireMessage.InferenceCancel(p.request.jobId().bytes())));
        p.promise.fail(why);
        p.timer = context.owner().setTimer(SETTLE_GRACE.toMillis(), id -> pending.remove(key, p));
    }

    void onTokens(PeerLink from, WireMessage.InferenceTokens t) {
        assert context.inThread() : "RemoteInferenceClient.onTokens called off the peer context";
        ByteBuffer key = ByteBuffer.wrap(t.jobId());
        PendingJob p = find(from, key);
        if (p == null || p.overrun) {
            return;
        }
        if (t.tokens().isEmpty() && !t.thinking().isEmpty() && p.request.kind() == RemoteRequest.Kind.CHAT) {
            onThinking(from, key, p, t.thinking());
            return;
        }
        List<String> tokens = t.tokens().isEmpty() ? List.of("") : t.tokens(); // an empty frame counts as one
        p.chunks += tokens.size();
        p.bytes += Utf8.length(tokens);
        if (ClaimCheck.overrun(p.request, p.chunks, p.bytes) || p.request.kind() == RemoteRequest.Kind.EMBED) {
            // more than was asked for (an embedding job streams nothing): stop reading, pay nothing for this job
            p.overrun = true;
            p.text.setLength(0);
            refuse(from.remote(), p, null, "the server streamed more than was asked for (" + p.chunks + " tokens, "
                    + p.bytes + " bytes, max_tokens " + p.request.maxTokens() + ")");
            stop(from.remote(), key, p, new RemoteInferenceException(InferenceErrorCode.REFUSED,
                    "the server streamed more than was asked for", null));
            return;
        }
        boolean deliver = !p.promise.future().isComplete();
        for (String token : tokens) {
            p.text.append(token);
            if (deliver) {
                p.sink.onToken(token); // one chunk per token for the caller's client, as from a local model
            }
        }
    }

    /** Thinking is bounded apart from the text ({@link ClaimCheck#thinkingBound}) and not hashed. */
    private void onThinking(PeerLink from, ByteBuffer key, PendingJob p, String thinking) {
        p.thinking.append(thinking);
        if (p.thinking.length() > ClaimCheck.thinkingBound(ClaimCheck.completionCap(p.request.maxTokens()))) {
            p.overrun = true;
            refuse(from.remote(), p, null, "the server streamed more thinking than was asked for");
            stop(from.remote(), key, p, new RemoteInferenceException(InferenceErrorCode.REFUSED,
                    "the server streamed more thinking than was asked for", null));
        } else if (!p.promise.future().isComplete()) {
            p.sink.onThinking(thinking);
        }
    }

    void onError(PeerLink from, WireMessage.InferenceError e) {
        assert context.inThread() : "RemoteInferenceClient.onError called off the peer context";
        PendingJob p = take(from, e.jobId());
        if (p != null) {
            context.owner().cancelTimer(p.timer);
            p.promise.tryFail(new RemoteInferenceException(e.errorCode(), e.detail(),
                    e.retryAfterMs() > 0 ? Duration.ofMillis(e.retryAfterMs()) : null));
        }
    }

    void onDone(PeerLink from, WireMessage.InferenceDone d) {
        assert context.inThread() : "RemoteInferenceClient.onDone called off the peer context";
        PendingJob p = take(from, d.jobId());
        if (p == null) {
            return;
        }
        context.owner().cancelTimer(p.timer);
        String text = p.text.toString();
        DoneCheck check = DoneCheck.of(claims, from.remote(), p, d);
        SignedEvent proposal = check.proposal();
        String problem = check.problem();
        // a server that failed after delivering tokens claims for those; the caller still sees a failure
        boolean partial = d.doneReason().startsWith(RemoteInferenceServer.PARTIAL);
        if (problem != null) {
            if (!p.overrun) {
                refuse(from.remote(), p, proposal, problem);
            }
            complete(p, new RemoteReply(text, 0, 0, proposal, false, problem), partial, d.doneReason());
            return;
        }
        EventBody.ServiceProposed claim = (EventBody.ServiceProposed) proposal.body();
        store.append(new EventBody.ServiceAcknowledged(claim.jobId(), proposal.author(), proposal.seq(), proposal.id()))
                .whenComplete((ack, err) -> context.runOnContext(v -> complete(p, new RemoteReply(text,
                        claim.promptTokens(), claim.completionTokens(), proposal, err == null,
                        err == null ? null : "could not record the acknowledgement: " + err.getMessage(),
                        p.thinking.toString(), check.toolCalls(), check.embeddings()), partial, d.doneReason())));
    }

    private void complete(PendingJob p, RemoteReply reply, boolean partial, String doneReason) {
        if (partial) {
            p.promise.tryFail(new RemoteInferenceException(InferenceErrorCode.BACKEND_FAILED, "the server stopped after "
                    + reply.text().length() + " characters (" + doneReason + ")", null));
        } else {
            p.promise.tryComplete(reply);
        }
    }

    private void refuse(NodeId server, PendingJob p, SignedEvent proposal, String reason) {
        LOG.log(System.Logger.Level.WARNING, "not acknowledging job " + p.request.jobId().hex() + " from "
                + server.shortHex() + ": " + reason);
        long claimed = proposal != null && proposal.body() instanceof EventBody.ServiceProposed c ? c.creditsMilli() : 0;
        refused.add(new RefusedClaim(server, p.request.jobId().hex(), p.request.model(), claimed, reason,
                clockMillis.getAsLong()));
    }

    void onClosed(NodeId peer) {
        assert context.inThread() : "RemoteInferenceClient.onClosed called off the peer context";
        for (ByteBuffer key : List.copyOf(pending.keySet())) {
            if (pending.get(key).server.equals(peer)) {
                PendingJob p = pending.remove(key);
                context.owner().cancelTimer(p.timer);
                p.promise.tryFail(new RemoteInferenceException(InferenceErrorCode.NOT_CONNECTED, "the session with "
                        + peer.shortHex() + " closed", null));
            }
        }
    }

    /** The job {@code key} names, if {@code from} is its server. */
    private PendingJob find(PeerLink from, ByteBuffer key) {
        PendingJob p = pending.get(key);
        return p != null && p.server.equals(from.remote()) ? p : null;
    }

    private PendingJob take(PeerLink from, byte[] jobId) {
        ByteBuffer key = ByteBuffer.wrap(jobId);
        PendingJob p = find(from, key);
        if (p != null) {
            pending.remove(key);
        }
        return p;
    }
}
