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
import org.council.crypto.Hex;
import org.council.crypto.NodeId;
import org.council.crypto.Sha256;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.PeerLink;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;

/**
 * Serves other nodes' inference requests: checks the requester's signature, that the request is
 * addressed to this node by the session's own peer, fresh, and not seen before; runs it through
 * the bridge's scheduler with the requester as the priority key (its karma is the weight);
 * streams tokens back; and when the job succeeds appends this node's half of the receipt and
 * sends it with the result. A failed job earns nothing.
 *
 * <p>Confined to the peer context: the sessions deliver its messages there, and the bridge's
 * callbacks are brought back there. Each entry point asserts it.
 */
final class RemoteInferenceServer {

    private static final System.Logger LOG = System.getLogger(RemoteInferenceServer.class.getName());
    private static final int MAX_REMEMBERED = 100_000;

    private final NodeId self;
    private final LedgerStore store;
    private final InferenceBridge bridge;
    private final ModelCatalog catalog;
    private final ContextInternal context;
    private final LongSupplier clockMillis;
    private final long freshnessMs;
    private final SignatureVerifier verifier = new SignatureVerifier();
    // Accessed by the peer context thread only
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
    private final Map<String, Running> running = new HashMap<>();

    private record Running(NodeId requester, Job job) {
    }

    RemoteInferenceServer(NodeId self, LedgerStore store, InferenceBridge bridge, ModelCatalog catalog, Context context,
                          LongSupplier clockMillis, Duration freshness) {
        this.self = self;
        this.store = store;
        this.bridge = bridge;
        this.catalog = catalog;
        this.context = (ContextInternal) context;
        this.clockMillis = clockMillis;
        this.freshnessMs = freshness.toMillis();
    }

    void onRequest(PeerLink from, WireMessage.InferenceRequest wire) {
        assert context.inThread() : "RemoteInferenceServer.onRequest called off the peer context";
        RemoteRequest r;
        try {
            r = RemoteRequest.verify(wire, verifier);
        } catch (IllegalArgumentException e) {
            from.send(new WireMessage.InferenceError(new byte[0], InferenceErrorCode.REFUSED, e.getMessage(), 0));
            return;
        }
        byte[] jobBytes = r.jobId().bytes();
        if (admission(from, r) instanceof Admission.Refused refused) {
            from.send(new WireMessage.InferenceError(jobBytes, refused.code(), refused.detail(), 0));
            return;
        }
        String key = r.requester().hex() + "/" + r.jobId().hex();
        remember(key, r.issuedMs());
        InferenceRequest request = InferenceRequest.chat(RequesterId.of(r.requester().hex()), r.model(), r.messages());
        if (r.maxTokens() > 0) {
            request = request.withOptions(Map.of("num_predict", r.maxTokens()));
        }
        StringBuilder sent = new StringBuilder();
        long submittedAt = clockMillis.getAsLong();
        Job job = bridge.submit(request, token -> context.runOnContext(v -> {
            if (!from.isClosed()) {
                sent.append(token);
                from.send(new WireMessage.InferenceTokens(jobBytes, token));
            }
        }));
        running.put(key, new Running(r.requester(), job));
        job.result().onComplete(ar -> context.runOnContext(v -> {
            assert context.inThread();
            running.remove(key);
            if (ar.failed()) {
                fail(from, jobBytes, ar.cause());
            } else {
                succeed(from, r, ar.result(), sent.toString(), clockMillis.getAsLong() - submittedAt);
            }
        }));
    }

    /** Whether a verified request may run here, or why not. */
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
        return Admission.ADMITTED;
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

    private void succeed(PeerLink from, RemoteRequest r, InferenceResult result, String text, long elapsedMs) {
        long params = catalog.parametersMillions(r.model());
        long prompt = result.usage().promptTokens();
        long completion = result.usage().completionTokens();
        long durationMs = result.usage().totalDurationNanos() / 1_000_000;
        EventBody.ServiceProposed claim = new EventBody.ServiceProposed(r.jobId(), r.requester(), r.model(), params,
                (int) Math.min(Integer.MAX_VALUE, prompt), (int) Math.min(Integer.MAX_VALUE, completion),
                Math.max(0, elapsedMs - durationMs), durationMs, Sha256.hash(r.requestBytes()),
                Sha256.hash(text.getBytes(StandardCharsets.UTF_8)), Credits.milli(params, prompt, completion),
                r.stage().isBlank() ? "chat" : r.stage());
        store.append(claim).whenComplete((proposal, err) -> context.runOnContext(v -> {
            if (err != null) {
                LOG.log(System.Logger.Level.ERROR, "could not record the receipt for job " + r.jobId().hex(), err);
                from.send(new WireMessage.InferenceError(r.jobId().bytes(), InferenceErrorCode.BACKEND_FAILED,
                        "the server could not record its receipt", 0));
                return;
            }
            from.send(new WireMessage.InferenceDone(r.jobId().bytes(), result.doneReason(), proposal.envelope()));
        }));
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
            r.job().cancel();
        }
    }

    void onClosed(NodeId peer) {
        assert context.inThread() : "RemoteInferenceServer.onClosed called off the peer context";
        running.values().stream().filter(r -> r.requester().equals(peer)).toList().forEach(r -> r.job().cancel());
    }
}
