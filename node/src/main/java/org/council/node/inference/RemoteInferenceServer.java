package org.council.node.inference;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.council.bridge.BridgeException;
import org.council.bridge.InferenceBridge;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.crypto.Hex;
import org.council.crypto.NodeId;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.PeerLink;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;

/**
 * Serves other nodes' inference requests: checks the requester's signature, that the request is
 * addressed to this node by the session's own peer, fresh, not seen before and well-formed (every
 * field fits the receipt it will produce); runs it through the bridge's scheduler with the
 * requester as the priority key (its karma is the weight); streams tokens back, at most the
 * requested {@code max_tokens} or {@link ClaimCheck#DEFAULT_MAX_TOKENS}; and appends this node's
 * half of the receipt and sends it with the result. An embedding job streams nothing: its vectors
 * go out with the claim in one {@code InferenceDone} ({@link Receipts#embedded}).
 *
 * <p>No free service: a job that ends after tokens were delivered — finished, cut at the cap,
 * cancelled by the requester, its session closed, or failed in the backend — yields a claim for
 * what was delivered ({@link Receipts#partial}) unless it is too small to be worth an event
 * ({@link Receipts#worthClaiming}); a job that delivered nothing earns nothing.
 *
 * <p>Confined to the peer context: the sessions deliver its messages there, and the bridge's
 * callbacks are brought back there. Each entry point asserts it. A served chat is submitted to the
 * bridge from {@code jobs}, an event loop other than the peer loop when the node has one, so that
 * the backend's stream is read there ({@link org.council.bridge.http.LoopClients}) and the peer
 * loop is left the sessions' frames: with every served stream's backend on the peer loop, that
 * one thread read and decoded all the backends' chunks and encrypted all the frames, and new
 * requests and first tokens queued behind them.
 */
final class RemoteInferenceServer {

    /** Prefix of the done reason of a job that failed after delivering tokens (its claim is partial). */
    static final String PARTIAL = "partial:";
    private static final int MAX_REMEMBERED = 100_000;

    private final NodeId self;
    private final InferenceBridge bridge;
    private final ContextInternal context;
    private final Context jobs;
    private final LongSupplier clockMillis;
    private final long freshnessMs;
    private final Receipts receipts;
    private final SignatureVerifier verifier = new SignatureVerifier();
    // Accessed by the peer context thread only
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
    private final Map<String, Running> running = new HashMap<>();

    /** A job in progress and what it delivered so far. Accessed by the peer context thread only. */
    static final class Running {
        final NodeId requester;
        TokenStream tokens;
        /** Null until the bridge took the job (on the jobs context); a cancel before that is kept. */
        Job job;
        private boolean cancelled;

        Running(NodeId requester) {
            this.requester = requester;
        }

        void cancel() {
            if (job != null) {
                job.cancel();
            } else {
                cancelled = true;
            }
        }

        /** The bridge took the job: a cancel asked meanwhile applies now. */
        void started(Job job) {
            this.job = job;
            if (cancelled) {
                job.cancel();
            }
        }
    }

    RemoteInferenceServer(NodeId self, LedgerStore store, InferenceBridge bridge, ModelCatalog catalog, Context context,
                          LongSupplier clockMillis, Duration freshness) {
        this(self, store, bridge, catalog, context, context, clockMillis, freshness);
    }

    /** As above; served chats are submitted from {@code jobs} (the peer context itself is allowed). */
    RemoteInferenceServer(NodeId self, LedgerStore store, InferenceBridge bridge, ModelCatalog catalog, Context context,
                          Context jobs, LongSupplier clockMillis, Duration freshness) {
        this.jobs = jobs;
        this.self = self;
        this.bridge = bridge;
        this.context = (ContextInternal) context;
        this.clockMillis = clockMillis;
        this.freshnessMs = freshness.toMillis();
        this.receipts = new Receipts(store, catalog, this.context);
    }

    /** Returns false when the request was refused before admission: unparsable, malformed or badly signed. */
    boolean onRequest(PeerLink from, WireMessage.InferenceRequest wire) {
        assert context.inThread() : "RemoteInferenceServer.onRequest called off the peer context";
        RemoteRequest r;
        try {
            r = RemoteRequest.verify(wire, verifier);
        } catch (IllegalArgumentException e) {
            from.send(new WireMessage.InferenceError(new byte[0], InferenceErrorCode.REFUSED, e.getMessage(), 0));
            return false;
        }
        byte[] jobBytes = r.jobId().bytes();
        if (admission(from, r) instanceof Admission.Refused refused) {
            from.send(new WireMessage.InferenceError(jobBytes, refused.code(), refused.detail(), 0));
            return true;
        }
        String key = r.requester().hex() + "/" + r.jobId().hex();
        remember(key, r.issuedMs());
        if (r.kind() == RemoteRequest.Kind.EMBED) {
            embed(from, r, key);
            return true;
        }
        Map<String, Object> options = new HashMap<>(r.features().options());
        if (r.maxTokens() > 0) {
            options.put("num_predict", r.maxTokens()); // the signed cap wins over any num_predict in options
        } else {
            options.remove("num_predict");
            options.remove("max_tokens");
        }
        InferenceRequest request = InferenceRequest.chat(RequesterId.of(r.requester().hex()), r.model(), r.messages())
                .withOptions(options).withFeatures(r.features().requestFeatures());
        long cap = ClaimCheck.completionCap(r.maxTokens());
        Running run = new Running(r.requester());
        long submittedAt = clockMillis.getAsLong();
        // tokens are batched into frames and held while the session's queue is full (TokenStream)
        run.tokens = new TokenStream(from, context, jobBytes, cap, r.maxTokens() <= 0, run::cancel);
        TokenSink sink = new TokenSink() {
            @Override
            public void onToken(String text) {
                run.tokens.accept(text);
            }

            @Override
            public void onThinking(String text) {
                run.tokens.acceptThinking(text);
            }
        };
        running.put(key, run);
        if (jobs == context) {
            served(from, r, key, run, bridge.submit(request, sink), submittedAt);
        } else {
            jobs.runOnContext(v -> {
                Job job = bridge.submit(request, sink);
                context.runOnContext(v2 -> served(from, r, key, run, job, submittedAt));
            });
        }
        return true;
    }

    /** On the peer context: the bridge took {@code job}; its outcome becomes the claim (or the error). */
    private void served(PeerLink from, RemoteRequest r, String key, Running run, Job job, long submittedAt) {
        assert context.inThread();
        byte[] jobBytes = r.jobId().bytes();
        run.started(job);
        job.result().onComplete(ar -> context.runOnContext(v -> {
            assert context.inThread();
            running.remove(key);
            run.tokens.end(); // what waits goes out before the receipt
            long elapsed = clockMillis.getAsLong() - submittedAt;
            long chunks = run.tokens.chunks;
            boolean capped = run.tokens.capped();
            if (ar.succeeded()) {
                receipts.full(from, r, ar.result(), run.tokens.sent.toString(), run.tokens.thinkingSent, elapsed);
            } else if (chunks > 0 && (capped || Receipts.worthClaiming(r, chunks))) {
                String reason = capped ? "length" : PARTIAL + reason(ar.cause());
                receipts.partial(from, r, run, reason, elapsed);
            } else {
                fail(from, jobBytes, ar.cause());
            }
        }));
    }

    /**
     * An embedding job: scheduled like a chat, nothing streamed; its vectors and claim go out
     * together when it finishes ({@link Receipts#embedded}). One that fails or is cancelled
     * delivered nothing and claims nothing.
     */
    private void embed(PeerLink from, RemoteRequest r, String key) {
        Map<String, Object> options = new HashMap<>(r.features().options());
        options.remove("num_predict"); // nothing is generated
        options.remove("max_tokens");
        Running run = new Running(r.requester());
        long submittedAt = clockMillis.getAsLong();
        run.job = bridge.submit(InferenceRequest.embed(RequesterId.of(r.requester().hex()), r.model(), r.inputs(),
                options), TokenSink.NONE);
        running.put(key, run);
        run.job.result().onComplete(ar -> context.runOnContext(v -> {
            assert context.inThread();
            running.remove(key);
            if (ar.succeeded()) {
                receipts.embedded(from, r, ar.result(), clockMillis.getAsLong() - submittedAt);
            } else {
                fail(from, r.jobId().bytes(), ar.cause());
            }
        }));
    }

    /** Whether a verified request may run here, or why not. Checked before anything is scheduled. */
    private Admission admission(PeerLink from, RemoteRequest r) {
        if (!r.requester().equals(from.remote())) {
            return new Admission.Refused(InferenceErrorCode.REFUSED, "the request is signed by "
                    + r.requester().shortHex() + ", not by this session's peer");
        }
        if (!r.server().equals(self)) {
            return new Admission.Refused(InferenceErrorCode.REFUSED, "the request is addressed to "
                    + r.server().shortHex());
        }
        long skew = Math.abs(clockMillis.getAsLong() - r.issuedMs());
        if (skew > freshnessMs) {
            return new Admission.Refused(InferenceErrorCode.STALE, "issued " + skew + " ms from this node's clock "
                    + "(window " + freshnessMs + " ms)");
        }
        if (seen.containsKey(r.requester().hex() + "/" + r.jobId().hex())) {
            return new Admission.Refused(InferenceErrorCode.REPLAYED, "job " + r.jobId().hex()
                    + " was already requested");
        }
        String malformed = Receipts.malformed(r);
        if (malformed != null) {
            return new Admission.Refused(InferenceErrorCode.REFUSED, malformed);
        }
        return Admission.ADMITTED;
    }

    private static String reason(Throwable cause) {
        return cause instanceof BridgeException be ? be.code().name() : "BACKEND_ERROR";
    }

    private void remember(String key, long issuedMs) {
        seen.put(key, issuedMs);
        long horizon = clockMillis.getAsLong() - 2 * freshnessMs;
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            long t = it.next();
            if (t < horizon || seen.size() > MAX_REMEMBERED) {
                it.remove(); // older than the window: a replay of it is refused as stale anyway
            } else {
                break;
            }
        }
    }

    private void fail(PeerLink from, byte[] jobBytes, Throwable cause) {
        if (cause instanceof BridgeException be) {
            InferenceErrorCode code = switch (be.code()) {
                case NO_SUCH_MODEL -> InferenceErrorCode.NO_SUCH_MODEL;
                case OVERLOADED -> InferenceErrorCode.OVERLOADED;
                case CANCELLED -> InferenceErrorCode.CANCELLED;
                case BACKEND_BUSY, BACKEND_UNREACHABLE, TIMEOUT, BACKEND_ERROR -> InferenceErrorCode.BACKEND_FAILED;
            };
            from.send(new WireMessage.InferenceError(jobBytes, code, be.getMessage(),
                    be.retryAfter().map(java.time.Duration::toMillis).orElse(0L)));
        } else {
            from.send(new WireMessage.InferenceError(jobBytes, InferenceErrorCode.BACKEND_FAILED, String.valueOf(cause),
                    0));
        }
    }

    void onCancel(PeerLink from, byte[] jobId) {
        assert context.inThread() : "RemoteInferenceServer.onCancel called off the peer context";
        Running r = running.get(from.remote().hex() + "/" + Hex.encode(jobId));
        if (r != null) {
            r.cancel();
        }
    }

    void onClosed(NodeId peer) {
        assert context.inThread() : "RemoteInferenceServer.onClosed called off the peer context";
        running.values().stream().filter(r -> r.requester.equals(peer)).toList().forEach(Running::cancel);
    }
}
