package org.council.node.inference;

import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import org.council.node.peer.PeerLink;
import org.council.node.wire.WireMessage;

/**
 * The tokens of one served job on their way to the requester. The backend hands them over on its
 * own event loop ({@link #accept}); they are sent from the peer context, several at a time:
 *
 * <ul>
 *   <li><b>Coalescing.</b> A token that arrives while an earlier one waits to be sent joins it:
 *       one {@code InferenceTokens} frame (one TLS record, one flush) carries them, in order and
 *       each its own entry, so the requester's client still sees one chunk per token. A lone
 *       token is never held back by a timer: the first token of a batch goes
 *       out at once when it arrives on the peer context (a node with a single event loop reads
 *       its backends there), else it queues one task there and goes out when it runs: a served
 *       chat's backend is read on another loop ({@code InferenceService.otherLoop}), and the
 *       tokens of its chunks that arrive while that task waits share its frame.
 *   <li><b>Back-pressure.</b> While the session's write queue is full nothing is sent; the text
 *       waits here and goes out in one frame when the queue drains. What waits is bounded by the
 *       job's cap ({@link ClaimCheck#completionCap} tokens), past which tokens are dropped.
 * </ul>
 *
 * <p>The requester appends the texts it receives and hashes the whole, so batching leaves the
 * receipt unchanged. {@link #sent} and {@link #chunks} are what was handed to the session: the
 * claim is for what was delivered.
 *
 * <p><b>Thread-safety.</b> {@link #accept} is called from the backend's thread, one call at a
 * time; it and the peer-context side share only the fields guarded by {@code lock}. Everything
 * else runs on the peer context and asserts it.
 */
final class TokenStream {

    private final PeerLink link;
    private final ContextInternal context;
    private final byte[] jobId;
    private final long cap;
    private final boolean cutAtCap;
    private final Runnable cut;
    private final Object lock = new Object();
    // Guarded by lock
    private final ArrayList<String> waiting = new ArrayList<>();
    private long accepted;
    private boolean scheduled; // a send is queued on the context, or waits for the queue to drain
    private boolean capped;
    private boolean ended;
    // Accessed by the peer context thread only
    final StringBuilder sent = new StringBuilder();
    long chunks;
    long thinkingSent;
    private long thinkingBytes;
    private boolean cutDone;

    /**
     * @param cap       tokens accepted at most; later ones are dropped
     * @param cutAtCap  whether reaching the cap stops the job ({@code cut} is then run on the context)
     */
    TokenStream(PeerLink link, ContextInternal context, byte[] jobId, long cap, boolean cutAtCap, Runnable cut) {
        this.link = link;
        this.context = context;
        this.jobId = jobId;
        this.cap = cap;
        this.cutAtCap = cutAtCap;
        this.cut = cut;
    }

    /** A token from the backend; any thread, one call at a time. */
    void accept(String token) {
        boolean schedule;
        boolean now;
        synchronized (lock) {
            if (ended || accepted >= cap) {
                return; // never stream past what was asked, even if a backend overshoots
            }
            accepted++;
            capped = accepted == cap && cutAtCap;
            waiting.add(token);
            schedule = !scheduled;
            scheduled = true;
            now = schedule && !capped;
        }
        if (now && context.inThread()) {
            // already on the peer context (a one-loop node reads its backends there): send now rather than
            // queue behind the loop's other tasks (time to first token); the rest of this burst joins
            // the text that waits and goes out in one frame, with one hop
            send(false);
            synchronized (lock) {
                schedule = !scheduled;
                scheduled = true;
            }
        }
        if (schedule) {
            context.runOnContext(v -> send(false));
        }
    }

    /**
     * A piece of thinking from the backend; any thread. It goes out in its own frame, after the
     * text that waits (while the session's queue is full, it may overtake that text), at most {@link ClaimCheck#thinkingBound} bytes in all; it is
     * not in the receipt's hash.
     */
    void acceptThinking(String thinking) {
        context.runOnContext(v -> {
            send(false); // the text before it first, unless the queue is full
            thinkingBytes += Utf8.length(thinking);
            if (!link.isClosed() && thinkingBytes <= ClaimCheck.thinkingBound(cap)) {
                thinkingSent += Utf8.length(thinking);
                link.send(new WireMessage.InferenceTokens(jobId, "", thinking));
            }
        });
    }

    /** Whether the job was stopped at the default cap (no {@code max_tokens} asked). */
    boolean capped() {
        synchronized (lock) {
            return capped;
        }
    }

    /**
     * The job ended: sends what still waits, even into a full queue (the receipt follows it), and
     * drops whatever the backend still hands over.
     */
    void end() {
        assert context.inThread() : "TokenStream.end called off the peer context";
        synchronized (lock) {
            ended = true;
        }
        send(true);
    }

    private void send(boolean force) {
        assert context.inThread() : "TokenStream.send called off the peer context";
        boolean closed = link.isClosed();
        if (!force && !closed && link.writeQueueFull()) {
            link.whenWritable(() -> send(false)); // still scheduled: tokens keep joining the waiting text
            return;
        }
        List<String> tokens;
        boolean cutNow;
        synchronized (lock) {
            scheduled = false;
            if (waiting.isEmpty()) {
                return;
            }
            tokens = List.copyOf(waiting); // immutable: InferenceTokens keeps it as it is
            waiting.clear();
            cutNow = capped && !cutDone;
        }
        if (!closed) {
            tokens.forEach(sent::append);
            chunks += tokens.size();
            link.send(new WireMessage.InferenceTokens(jobId, tokens, ""));
        }
        if (cutNow) {
            cutDone = true;
            cut.run(); // no max_tokens: stop at the default, claim what was delivered
        }
    }
}
