package org.council.node.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.TokenSink;
import org.council.bridge.Usage;
import org.council.crypto.NodeId;
import org.council.node.inference.RemoteCall;
import org.council.node.inference.RemoteInferenceClient;
import org.council.node.inference.RemoteInferenceException;
import org.council.node.wire.EmbeddingVectors;
import org.council.node.wire.RemoteFeatures;

/**
 * A request of the node's own user run on a chosen peer through remote inference, as a
 * {@link Job}: a chat (or a generate request's prompt as one user turn), or an embedding request,
 * sent as embedding jobs one after the other, each small enough that its vectors fit the one frame
 * that carries them back ({@link #embedBatch}). Every job is settled with its own receipt.
 * Thread-safe; results complete on the peer context.
 */
final class PeerJobs {

    /**
     * Inputs of the first remote embedding job of a request: before the peer has answered, the
     * model's dimension is unknown, so the first job is one whose vectors fit a frame
     * ({@link EmbeddingVectors#MAX_BYTES}) at the largest dimension accepted (15 inputs).
     */
    static final int FIRST_EMBED_BATCH = embedBatch(EmbeddingVectors.MAX_DIMENSIONS);
    /** Most inputs per job once the dimension is known, so that one job stays one bounded backend call. */
    static final int MAX_EMBED_BATCH = 128;

    private final RemoteInferenceClient remote;
    private final AtomicLong jobs;
    private final Duration timeout;

    PeerJobs(RemoteInferenceClient remote, AtomicLong jobs, Duration timeout) {
        this.remote = remote;
        this.jobs = jobs;
        this.timeout = timeout;
    }

    Job chat(NodeId peer, InferenceRequest request, TokenSink sink) {
        NetworkJob job = new NetworkJob(jobs.incrementAndGet());
        // a generate request's prompt (and images) as one user turn
        List<ChatMessage> messages = request.kind() == InferenceRequest.Kind.CHAT ? request.messages()
                : List.of(new ChatMessage("user", request.prompt(), request.features().images(), List.of(), "", ""));
        long started = System.nanoTime();
        RemoteCall call = remote.start(peer, request.model(), messages, request.maxTokens().orElse(0), "chat",
                RemoteFeatures.of(request), timeout, request.stream() ? sink : TokenSink.NONE);
        job.onCancel(call.cancel());
        String backend = "peer " + peer.shortHex();
        call.reply().onComplete(ar -> {
            if (ar.failed()) {
                job.fail(bridgeFailure(backend, ar.cause()));
                return;
            }
            String text = ar.result().text();
            if (!request.stream()) {
                sink.onToken(text);
            }
            long took = System.nanoTime() - started;
            job.complete(new InferenceResult(request.model(), backend, text, "stop",
                    new Usage(ar.result().promptTokens(), ar.result().completionTokens(), took, 0, 0, took),
                    ar.result().thinking(), ar.result().toolCalls(), List.of()));
        });
        return job;
    }

    Job embed(NodeId peer, InferenceRequest request) {
        NetworkJob job = new NetworkJob(jobs.incrementAndGet());
        new Batches(peer, request, job).next(0, FIRST_EMBED_BATCH);
        return job;
    }

    /**
     * One embedding request's jobs, one batch after the other. The vectors and counts are touched
     * only by the replies' callbacks, which run on the peer context one after the other.
     */
    private final class Batches {
        private final NodeId peer;
        private final InferenceRequest request;
        private final NetworkJob job;
        private final String options;
        private final long started = System.nanoTime();
        // Accessed by the peer context thread only (reply callbacks)
        private final List<double[]> vectors = new ArrayList<>();
        private long inputTokens;
        // the running batch's cancel: set by whichever thread starts it, run by whichever cancels
        private volatile Runnable cancelCurrent = () -> { };

        Batches(NodeId peer, InferenceRequest request, NetworkJob job) {
            this.peer = peer;
            this.request = request;
            this.job = job;
            this.options = RemoteFeatures.of(request).optionsJson();
            job.onCancel(() -> cancelCurrent.run());
        }

        void next(int from, int size) {
            List<String> input = request.features().input();
            if (job.result().isComplete()) {
                return; // cancelled between batches
            }
            List<String> batch = input.subList(from, Math.min(input.size(), from + size));
            RemoteCall call = remote.startEmbedding(peer, request.model(), batch, options, "embed", timeout);
            cancelCurrent = call.cancel();
            if (job.result().isComplete()) {
                call.cancel().run(); // cancelled while this batch was being started
            }
            call.reply().onComplete(ar -> {
                if (ar.failed()) {
                    job.fail(bridgeFailure("peer " + peer.shortHex(), ar.cause()));
                    return;
                }
                if (ar.result().embeddings().size() != batch.size()) {
                    // a refused claim carries no vectors: the user must not get fewer vectors than
                    // inputs, the later ones shifted onto the wrong texts
                    job.fail(new BridgeException(ErrorCode.BACKEND_ERROR, "peer " + peer.shortHex() + " returned "
                            + ar.result().embeddings().size() + " vectors for " + batch.size() + " inputs"
                            + (ar.result().refusal() == null ? "" : ": " + ar.result().refusal())));
                    return;
                }
                vectors.addAll(ar.result().embeddings());
                inputTokens += ar.result().promptTokens();
                if (from + batch.size() < input.size()) {
                    next(from + batch.size(), embedBatch(ar.result().embeddings().get(0).length));
                    return;
                }
                long took = System.nanoTime() - started;
                job.complete(new InferenceResult(request.model(), "peer " + peer.shortHex(), "", "stop",
                        new Usage(inputTokens, 0, took, 0, took, 0), "", List.of(), vectors));
            });
        }
    }

    /** Inputs per job whose vectors of {@code dimensions} floats fit one frame, at most {@link #MAX_EMBED_BATCH}. */
    static int embedBatch(int dimensions) {
        int fit = EmbeddingVectors.MAX_BYTES / (Float.BYTES * Math.max(1, dimensions));
        return Math.max(1, Math.min(MAX_EMBED_BATCH, fit));
    }

    static BridgeException bridgeFailure(String who, Throwable t) {
        if (t instanceof BridgeException b) {
            return b;
        }
        if (t instanceof RemoteInferenceException r) {
            ErrorCode code = switch (r.code()) {
                case NO_SUCH_MODEL -> ErrorCode.NO_SUCH_MODEL;
                case OVERLOADED -> ErrorCode.OVERLOADED;
                case TIMEOUT -> ErrorCode.TIMEOUT;
                case CANCELLED -> ErrorCode.CANCELLED;
                case NOT_CONNECTED -> ErrorCode.BACKEND_UNREACHABLE;
                case UNKNOWN, REFUSED, STALE, REPLAYED, BACKEND_FAILED -> ErrorCode.BACKEND_ERROR;
            };
            return new BridgeException(code, who + ": " + r.getMessage(), r.retryAfter().orElse(null), r);
        }
        return new BridgeException(ErrorCode.BACKEND_ERROR, who + ": " + t.getMessage(), null, t);
    }
}
