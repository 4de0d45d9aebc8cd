package org.council.node.inference;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.crypto.Hex;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;
import org.council.node.peer.PeerLink;
import org.council.node.peer.PeerManager;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;

/**
 * Asks peers to run inference: signs the request, streams the tokens to the caller, and when the
 * server reports success checks its receipt claim against what was asked and received (its
 * signature, job, requester, request and response hashes, the credit formula). If the claim is
 * right this node appends its half of the receipt; if not, it does not pay and says why.
 *
 * <p>Its bookkeeping is confined to the peer context: {@link #start} and {@link #infer} may be
 * called from any thread and hop there; the session callbacks arrive there and assert it. Futures
 * complete on the peer context; the token sink is called there too.
 */
public final class RemoteInferenceClient {

    private static final System.Logger LOG = System.getLogger(RemoteInferenceClient.class.getName());

    private final NodeKeyPair keys;
    private final LedgerStore store;
    private final Function<NodeId, Optional<PeerLink>> links;
    private final ContextInternal context;
    private final LongSupplier clockMillis;
    private final SignatureVerifier verifier = new SignatureVerifier();
    // Accessed by the peer context thread only
    private final Map<String, Pending> pending = new HashMap<>();

    private static final class Pending {
        final RemoteRequest request;
        final Promise<RemoteReply> promise = Promise.promise();
        final TokenSink sink;
        final StringBuilder text = new StringBuilder();
        long timer;

        Pending(RemoteRequest request, TokenSink sink) {
            this.request = request;
            this.sink = sink;
        }
    }

    public RemoteInferenceClient(NodeKeyPair keys, LedgerStore store, PeerManager peers, LongSupplier clockMillis) {
        this(keys, store, peers.peerContext(), peers::link, clockMillis);
    }

    /** {@code links} finds the live session with a peer; it is called on {@code context}. */
    RemoteInferenceClient(NodeKeyPair keys, LedgerStore store, Context context,
                          Function<NodeId, Optional<PeerLink>> links, LongSupplier clockMillis) {
        this.keys = keys;
        this.store = store;
        this.links = links;
        this.context = (ContextInternal) context;
        this.clockMillis = clockMillis;
    }

    /** Runs one chat completion on {@code server}. Fails with {@link RemoteInferenceException}. */
    public Future<RemoteReply> infer(NodeId server, String model, List<ChatMessage> messages, int maxTokens, String stage,
                                     Duration timeout, TokenSink sink) {
        return start(server, model, messages, maxTokens, stage, timeout, sink).reply();
    }

    /**
     * Like {@link #infer}, with a way to stop the job: cancelling tells the server to stop (it then
     * claims nothing) and fails the reply with code {@code CANCELLED}.
     */
    public RemoteCall start(NodeId server, String model, List<ChatMessage> messages, int maxTokens, String stage,
                            Duration timeout, TokenSink sink) {
        Promise<RemoteReply> result = Promise.promise();
        JobId jobId = JobId.random();
        String key = key(server, jobId.bytes());
        context.runOnContext(v -> {
            PeerLink link = links.apply(server).orElse(null);
            if (link == null) {
                result.fail(new RemoteInferenceException(InferenceErrorCode.NOT_CONNECTED, "no session with " + server.shortHex(), null));
                return;
            }
            RemoteRequest r = RemoteRequest.sign(keys, server, jobId, clockMillis.getAsLong(), model, messages,
                    maxTokens, stage);
            Pending p = new Pending(r, sink);
            pending.put(key, p);
            p.promise.future().onComplete(result);
            p.timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), id -> {
                if (pending.remove(key) != null) {
                    link.send(new WireMessage.InferenceCancel(r.jobId().bytes()));
                    p.promise.fail(new RemoteInferenceException(InferenceErrorCode.TIMEOUT, server.shortHex() + " did not finish within "
                            + timeout.toMillis() + " ms", null));
                }
            });
            link.send(r.toWire());
        });
        return new RemoteCall(result.future(), () -> context.runOnContext(v -> cancel(server, key, jobId)));
    }

    private void cancel(NodeId server, String key, JobId jobId) {
        assert context.inThread();
        Pending p = pending.remove(key);
        if (p != null) {
            context.owner().cancelTimer(p.timer);
            links.apply(server).ifPresent(link -> link.send(new WireMessage.InferenceCancel(jobId.bytes())));
            p.promise.fail(new RemoteInferenceException(InferenceErrorCode.CANCELLED, "cancelled by this node", null));
        }
    }

    void onTokens(PeerLink from, WireMessage.InferenceTokens t) {
        assert context.inThread() : "RemoteInferenceClient.onTokens called off the peer context";
        Pending p = pending.get(key(from.remote(), t.jobId()));
        if (p != null) {
            p.text.append(t.text());
            p.sink.onToken(t.text());
        }
    }

    void onError(PeerLink from, WireMessage.InferenceError e) {
        assert context.inThread() : "RemoteInferenceClient.onError called off the peer context";
        Pending p = pending.remove(key(from.remote(), e.jobId()));
        if (p != null) {
            context.owner().cancelTimer(p.timer);
            p.promise.fail(new RemoteInferenceException(e.errorCode(), e.detail(),
                    e.retryAfterMs() > 0 ? Duration.ofMillis(e.retryAfterMs()) : null));
        }
    }

    void onDone(PeerLink from, WireMessage.InferenceDone d) {
        assert context.inThread() : "RemoteInferenceClient.onDone called off the peer context";
        Pending p = pending.remove(key(from.remote(), d.jobId()));
        if (p == null) {
            return;
        }
        context.owner().cancelTimer(p.timer);
        String text = p.text.toString();
        DecodeResult decoded = EventCodec.decode(d.proposal());
        SignedEvent proposal = decoded instanceof DecodeResult.Decoded ok ? ok.event() : null;
        String problem = proposal == null ? "the receipt claim does not decode" : checkClaim(from.remote(), p, proposal, text);
        if (problem != null) {
            LOG.log(System.Logger.Level.WARNING, "not acknowledging job " + p.request.jobId().hex() + " from "
                    + from.remote().shortHex() + ": " + problem);
            p.promise.complete(new RemoteReply(text, 0, 0, proposal, false, problem));
            return;
        }
        EventBody.ServiceProposed claim = (EventBody.ServiceProposed) proposal.body();
        store.append(new EventBody.ServiceAcknowledged(claim.jobId(), proposal.author(), proposal.seq(), proposal.id()))
                .whenComplete((ack, err) -> context.runOnContext(v -> p.promise.complete(new RemoteReply(text,
                        claim.promptTokens(), claim.completionTokens(), proposal, err == null,
                        err == null ? null : "could not record the acknowledgement: " + err.getMessage()))));
    }

    /** Why the server's claim must not be acknowledged, or null when it is right. */
    private String checkClaim(NodeId server, Pending p, SignedEvent proposal, String text) {
        if (!proposal.author().equals(server)
                || !EventCodec.signatureValid(verifier, proposal)) {
            return "the claim is not signed by the server";
        }
        if (!(proposal.body() instanceof EventBody.ServiceProposed c)) {
            return "the claim is not a service proposal";
        }
        if (!c.jobId().equals(p.request.jobId()) || !c.requester().equals(keys.id())) {
            return "the claim names another job or requester";
        }
        if (!Arrays.equals(c.requestHash(), Sha256.hash(p.request.requestBytes()))) {
            return "the claim's request hash is not that of the signed request";
        }
        if (!Arrays.equals(c.responseHash(), Sha256.hash(text.getBytes(StandardCharsets.UTF_8)))) {
            return "the claim's response hash is not that of the text received";
        }
        long maxPlausible = 8L * text.length() + 16; // more tokens than characters received is impossible
        if (c.completionTokens() > maxPlausible) {
            return "the claim counts " + c.completionTokens() + " tokens for " + text.length() + " characters";
        }
        if (c.creditsMilli() != Credits.milli(c.parametersMillions(), c.promptTokens(), c.completionTokens())) {
            return "the claimed credits do not follow the formula";
        }
        return null;
    }

    void onClosed(NodeId peer) {
        assert context.inThread() : "RemoteInferenceClient.onClosed called off the peer context";
        String prefix = peer.hex() + "/";
        for (String key : List.copyOf(pending.keySet())) {
            if (key.startsWith(prefix)) {
                Pending p = pending.remove(key);
                context.owner().cancelTimer(p.timer);
                p.promise.fail(new RemoteInferenceException(InferenceErrorCode.NOT_CONNECTED, "the session with " + peer.shortHex()
                        + " closed", null));
            }
        }
    }

    private static String key(NodeId server, byte[] jobId) {
        return server.hex() + "/" + Hex.encode(jobId);
    }
}
