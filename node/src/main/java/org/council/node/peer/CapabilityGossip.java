package org.council.node.peer;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.SignedEvent;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.wire.WireMessage;

/**
 * Capabilities gossip (docs/protocol.md, "Capabilities gossip"): at session start each side sends
 * the newest announcements its {@link ModelDirectory} holds ({@link #INITIAL_MAX} and
 * {@link #INITIAL_MAX_BYTES}, in frames of {@link #MAX_PER_FRAME} and {@link #MAX_FRAME_BYTES}); an announcement learned later is passed on to every other session,
 * deduplicated by author and seq and at most {@link #FORWARD_PER_TICK} a second per session.
 *
 * <p>What a peer sends costs this node a decode and a signature check each, so it is budgeted:
 * a frame of more than {@link #MAX_PER_FRAME}, more announcements than the receive bucket
 * ({@link #RECEIVE_BURST}, then {@link #RECEIVE_PER_SECOND}/s; an honest sender stays well under,
 * see the constants), or more invalid ones (undecodable, not an announcement, too large, too old,
 * dated in the future, bad signature) than {@link #BAD_BURST} then {@link #BAD_PER_SECOND}/s is {@code FLOODING} and a
 * ban. Announcements already known (same or older seq) are dropped before any check. Signatures
 * are checked off the event loop (a worker, as the ledger's ingest does).
 *
 * <p>Confined to the peer context.
 */
final class CapabilityGossip implements ProtocolHandler {

    static final int MAX_PER_FRAME = 256;
    static final int INITIAL_MAX = 4 * MAX_PER_FRAME;
    /** Bytes of announcements in one frame: well under the 1 MiB frame limit (256 of 8 KiB would not be). */
    static final int MAX_FRAME_BYTES = 256 * 1024;
    /** Bytes sent at session start: a fraction of the socket's 1 MiB write-queue mark, next to the clocks. */
    static final int INITIAL_MAX_BYTES = 512 * 1024;
    /** Sent per session per tick: 64 of at most 8 KiB make 512 KiB, under the 1 MiB frame limit. */
    static final int FORWARD_PER_TICK = 64;
    static final long TICK_MS = 1_000;
    /** What one session may queue for forwarding; beyond, the oldest queued are dropped (they will come again at the next session start). */
    static final int MAX_QUEUED = 1_024;
    // an honest peer sends INITIAL_MAX at start, then FORWARD_PER_TICK a second: room for both, twice
    static final int RECEIVE_BURST = 2 * (INITIAL_MAX + MAX_PER_FRAME);
    static final int RECEIVE_PER_SECOND = 2 * FORWARD_PER_TICK;
    // an honest peer passes on only what it verified; the budget covers clock skew at the age edge
    static final int BAD_BURST = 16;
    static final int BAD_PER_SECOND = 1;

    private final Context ctx;
    private final ModelDirectory directory;
    private final Function<byte[], DecodeResult> decode;
    private final Predicate<SignedEvent> signatureValid;
    private final LongSupplier clock;
    // Accessed by context thread
    private final Map<SessionChannel, PeerState> peers = new HashMap<>();

    private static final class PeerState {
        final TokenBucket received = new TokenBucket(RECEIVE_BURST, RECEIVE_PER_SECOND, System::nanoTime);
        final TokenBucket bad = new TokenBucket(BAD_BURST, BAD_PER_SECOND, System::nanoTime);
        // to forward, by "author/seq": a newer seq of the same author replaces the older one
        final LinkedHashMap<String, SignedEvent> queued = new LinkedHashMap<>();
    }

    CapabilityGossip(Context ctx, ModelDirectory directory, LongSupplier clock) {
        this(ctx, directory, clock, EventCodec::decode, signedBy(new SignatureVerifier()));
    }

    /**
     * With another decoding and signature check: the scale simulation's ({@link SimulatedPeer}), which
     * signs every announcement for real once and hands every node the same decoded event.
     */
    CapabilityGossip(Context ctx, ModelDirectory directory, LongSupplier clock, Function<byte[], DecodeResult> decode,
                     Predicate<SignedEvent> signatureValid) {
        this.ctx = ctx;
        this.directory = directory;
        this.clock = clock;
        this.decode = decode;
        this.signatureValid = signatureValid;
    }

    private static Predicate<SignedEvent> signedBy(SignatureVerifier verifier) {
        return e -> EventCodec.signatureValid(verifier, e);
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.CAPABILITIES);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        assert ContextCheck.inThread(ctx);
        peers.put(session, new PeerState());
        List<byte[]> frame = new ArrayList<>();
        int frameBytes = 0;
        int total = 0;
        for (SignedEvent e : directory.recent(INITIAL_MAX, clock.getAsLong())) {
            if (total + e.size() > INITIAL_MAX_BYTES) {
                break; // within the write queue an honest peer reads at once: the rest comes by forwarding or never
            }
            if (frame.size() == MAX_PER_FRAME || frameBytes + e.size() > MAX_FRAME_BYTES) {
                session.send(new WireMessage.CapabilityList(frame));
                frame = new ArrayList<>();
                frameBytes = 0;
            }
            frame.add(e.envelope());
            frameBytes += e.size();
            total += e.size();
        }
        if (!frame.isEmpty()) {
            session.send(new WireMessage.CapabilityList(frame));
        }
    }

    @Override
    public void onSessionClosed(SessionChannel session) {
        peers.remove(session);
    }

    /** A committed announcement of a held feed (this node's own included): passed on like a learned one. */
    void committed(SignedEvent e) {
        assert ContextCheck.inThread(ctx);
        if (directory.offer(e, clock.getAsLong())) {
            forward(e, null);
        }
    }

    /** Sends each session up to {@link #FORWARD_PER_TICK} of what it has queued. Runs every {@link #TICK_MS}. */
    void tick() {
        assert ContextCheck.inThread(ctx);
        peers.forEach((session, state) -> {
            if (state.queued.isEmpty() || session.isClosed() || session.writeQueueFull()) {
                return;
            }
            List<byte[]> batch = new ArrayList<>();
            var it = state.queued.values().iterator();
            while (it.hasNext() && batch.size() < FORWARD_PER_TICK) {
                batch.add(it.next().envelope());
                it.remove();
            }
            session.send(new WireMessage.CapabilityList(batch));
        });
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage message) {
        assert ContextCheck.inThread(ctx);
        PeerState state = peers.get(session);
        List<byte[]> got = ((WireMessage.CapabilityList) message).announcements();
        if (state == null) {
            return;
        }
        if (got.size() > MAX_PER_FRAME || !state.received.take(got.size())) {
            session.misbehave(WireMessage.Reason.FLOODING, "more capabilities announcements than " + MAX_PER_FRAME
                    + " a frame, " + RECEIVE_BURST + " at once or " + RECEIVE_PER_SECOND + "/s", true);
            return;
        }
        long now = clock.getAsLong();
        List<SignedEvent> toCheck = new ArrayList<>();
        int bad = 0;
        for (byte[] envelope : got) {
            if (envelope.length > directory.limits().maxEventBytes()
                    || !(decode.apply(envelope) instanceof DecodeResult.Decoded d)
                    || directory.problem(d.event(), now) != null) {
                bad++;
            } else if (directory.isNews(d.event(), now)) {
                toCheck.add(d.event());
            }
        }
        if (!spend(session, state, bad) || toCheck.isEmpty()) {
            return;
        }
        ctx.<List<Boolean>>executeBlocking(() -> toCheck.stream()
                .map(signatureValid::test).toList(), false)
                .onComplete(ar -> {
                    if (ar.failed() || peers.get(session) != state) {
                        return; // the session ended meanwhile: what it sent is dropped
                    }
                    int forged = 0;
                    for (int i = 0; i < toCheck.size(); i++) {
                        if (!ar.result().get(i)) {
                            forged++;
                        } else if (directory.offer(toCheck.get(i), clock.getAsLong())) {
                            forward(toCheck.get(i), session);
                        }
                    }
                    spend(session, state, forged);
                });
    }

    private boolean spend(SessionChannel session, PeerState state, int bad) {
        if (bad > 0 && !state.bad.take(bad)) {
            session.misbehave(WireMessage.Reason.FLOODING, "more invalid capabilities announcements than " + BAD_BURST
                    + " at once and " + BAD_PER_SECOND + "/s", true);
            return false;
        }
        return true;
    }

    private void forward(SignedEvent e, SessionChannel from) {
        peers.forEach((session, state) -> {
            if (session == from) {
                return;
            }
            state.queued.remove(e.author().hex()); // a newer seq replaces a queued older one, and goes last
            state.queued.put(e.author().hex(), e);
            if (state.queued.size() > MAX_QUEUED) {
                var oldest = state.queued.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        });
    }

    /** For tests: sessions tracked. */
    int sessions() {
        return peers.size();
    }
}
