package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CapabilityGossipTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final Context ctx = vertx.getOrCreateContext();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static SignedEvent announce(String model) {
        return FeedBuilder.random().sign(1, null, System.currentTimeMillis(), new EventBody.CapabilitiesAnnounced(
                List.of(new EventBody.ModelOffer(model, 8_000, "Q4_K_M", 8192)), "", 1, "127.0.0.1:7000"));
    }

    private void on(Runnable r) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                r.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(30, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Frames sent on {@code from} reach {@code to} as coming from its session {@code toSide}, later, as a socket would. */
    private void wire(FakeChannel from, CapabilityGossip to, FakeChannel toSide) {
        from.deliver = m -> ctx.runOnContext(v -> to.onMessage(toSide, m));
    }

    @Test
    void announcementsSpreadAtSessionStartAndNewOnesAreForwarded() throws Exception {
        ModelDirectory atA = new ModelDirectory(ModelDirectory.Limits.defaults());
        ModelDirectory atB = new ModelDirectory(ModelDirectory.Limits.defaults());
        long now = System.currentTimeMillis();
        List<SignedEvent> known = List.of(announce("llama"), announce("qwen"), announce("phi"));
        known.forEach(e -> atA.offer(e, now));
        CapabilityGossip a = new CapabilityGossip(ctx, atA, System::currentTimeMillis);
        CapabilityGossip b = new CapabilityGossip(ctx, atB, System::currentTimeMillis);
        FakeChannel aToB = new FakeChannel(FeedBuilder.random().id(), ctx); // a's session with b
        FakeChannel bToA = new FakeChannel(FeedBuilder.random().id(), ctx); // b's session with a
        wire(aToB, b, bToA);
        wire(bToA, a, aToB);
        on(() -> {
            b.onSessionReady(bToA);
            a.onSessionReady(aToB);
        });
        await(() -> atB.size() == 3, "b to learn a's three announcements");
        assertThat(atB.servers("qwen", System.currentTimeMillis())).hasSize(1);
        // b sent its (empty) directory; nothing flows back to a beyond what a already knows
        on(() -> a.committed(announce("mistral")));
        on(a::tick);
        await(() -> atB.servers("mistral", System.currentTimeMillis()).size() == 1, "the new one forwarded");
        on(b::tick); // b does not send a's announcements back to a
        assertThat(bToA.sent).allSatisfy(m -> assertThat(((WireMessage.CapabilityList) m).announcements()).isEmpty());
        assertThat(aToB.closedWith).isNull();
        assertThat(bToA.closedWith).isNull();
    }

    @Test
    void onlyTheServersAModelSlotKeepsArePassedOn() throws Exception {
        ModelDirectory dir = new ModelDirectory(ModelDirectory.Limits.defaults(), new java.util.Random(3));
        CapabilityGossip g = new CapabilityGossip(ctx, dir, System::currentTimeMillis);
        FakeChannel from = new FakeChannel(FeedBuilder.random().id(), ctx);
        FakeChannel onward = new FakeChannel(FeedBuilder.random().id(), ctx);
        on(() -> {
            g.onSessionReady(from);
            g.onSessionReady(onward);
        });
        List<byte[]> servers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            servers.add(announce("rare").envelope());
        }
        on(() -> g.onMessage(from, new WireMessage.CapabilityList(servers)));
        await(() -> dir.servers("rare", System.currentTimeMillis()).size() == dir.limits().maxPerModel(), "the slot to fill");
        List<byte[]> passedOn = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            on(g::tick);
        }
        onward.sent.forEach(m -> passedOn.addAll(((WireMessage.CapabilityList) m).announcements()));
        // all 200 were news, but only what entered the slot is forwarded: 8 plus the reservoir's ~8 ln(200/8)
        assertThat(passedOn.size()).isBetween(dir.limits().maxPerModel(), 60);
    }

    @Test
    void forgedAnnouncementsBeyondTheBudgetAreABan() throws Exception {
        ModelDirectory dir = new ModelDirectory(ModelDirectory.Limits.defaults());
        CapabilityGossip g = new CapabilityGossip(ctx, dir, System::currentTimeMillis);
        FakeChannel attacker = new FakeChannel(FeedBuilder.random().id(), ctx);
        on(() -> g.onSessionReady(attacker));
        List<byte[]> forged = new ArrayList<>();
        for (int i = 0; i < CapabilityGossip.BAD_BURST * 4; i++) {
            SignedEvent e = announce("spam-" + i);
            forged.add(EventCodec.encodeEnvelope(e.payload(), new byte[64])); // someone else's claim, no valid signature
        }
        on(() -> g.onMessage(attacker, new WireMessage.CapabilityList(forged)));
        await(() -> attacker.closedWith != null, "the forger to be closed");
        assertThat(attacker.closedWith).isEqualTo(WireMessage.Reason.FLOODING);
        assertThat(attacker.banned).isTrue();
        assertThat(dir.size()).isZero();
    }

    @Test
    void garbageAndOversizeFramesAreABanBeforeAnySignatureCheck() throws Exception {
        ModelDirectory dir = new ModelDirectory(ModelDirectory.Limits.defaults());
        CapabilityGossip g = new CapabilityGossip(ctx, dir, System::currentTimeMillis);
        FakeChannel junk = new FakeChannel(FeedBuilder.random().id(), ctx);
        FakeChannel big = new FakeChannel(FeedBuilder.random().id(), ctx);
        on(() -> {
            g.onSessionReady(junk);
            g.onSessionReady(big);
            List<byte[]> garbage = new ArrayList<>();
            for (int i = 0; i <= CapabilityGossip.BAD_BURST; i++) {
                garbage.add(new byte[] {1, 2, 3});
            }
            g.onMessage(junk, new WireMessage.CapabilityList(garbage));
            List<byte[]> tooMany = new ArrayList<>();
            for (int i = 0; i <= CapabilityGossip.MAX_PER_FRAME; i++) {
                tooMany.add(new byte[0]);
            }
            g.onMessage(big, new WireMessage.CapabilityList(tooMany));
        });
        assertThat(junk.closedWith).isEqualTo(WireMessage.Reason.FLOODING);
        assertThat(junk.banned).isTrue();
        assertThat(big.closedWith).isEqualTo(WireMessage.Reason.FLOODING);
        assertThat(big.banned).isTrue();
    }

    @Test
    void aFloodOfValidFreshAnnouncementsEndsInABanWithBoundedMemory() throws Exception {
        int cap = 500;
        ModelDirectory dir = new ModelDirectory(ModelDirectory.Limits.defaults().withMaxAuthors(cap));
        CapabilityGossip g = new CapabilityGossip(ctx, dir, System::currentTimeMillis);
        FakeChannel sybil = new FakeChannel(FeedBuilder.random().id(), ctx);
        on(() -> g.onSessionReady(sybil));
        // minted keys, each announcing properly: the only limit is how many one peer may send
        int frames = CapabilityGossip.RECEIVE_BURST / CapabilityGossip.MAX_PER_FRAME + 2;
        for (int f = 0; f < frames && sybil.closedWith == null; f++) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < CapabilityGossip.MAX_PER_FRAME; i++) {
                batch.add(announce("sybil-model").envelope());
            }
            on(() -> g.onMessage(sybil, new WireMessage.CapabilityList(batch)));
        }
        await(() -> sybil.closedWith != null, "the flooder to be closed");
        assertThat(sybil.closedWith).isEqualTo(WireMessage.Reason.FLOODING);
        assertThat(sybil.banned).isTrue();
        assertThat(dir.size()).isLessThanOrEqualTo(cap);
        assertThat(dir.bytes()).isLessThanOrEqualTo((long) cap * dir.limits().maxEventBytes());
    }

    @Test
    void theStartOfASessionSendsBoundedFramesEvenOfLargeAnnouncements() throws Exception {
        // 100 servers of the same 40 models: room for all of them, it is the byte bound that is exercised
        ModelDirectory dir = new ModelDirectory(ModelDirectory.Limits.defaults().withMaxPerModel(100));
        long now = System.currentTimeMillis();
        for (int i = 0; i < 100; i++) {
            List<EventBody.ModelOffer> offers = new ArrayList<>();
            for (int m = 0; m < 40; m++) {
                offers.add(new EventBody.ModelOffer("a-model-name-long-enough-to-weigh-" + "x".repeat(120) + m, 8_000,
                        "Q4_K_M", 8192));
            }
            SignedEvent e = FeedBuilder.random().sign(1, null, now, new EventBody.CapabilitiesAnnounced(offers, "", 1, ""));
            assertThat(dir.offer(e, now)).isTrue();
        }
        assertThat(dir.bytes()).isGreaterThan(CapabilityGossip.INITIAL_MAX_BYTES);
        CapabilityGossip g = new CapabilityGossip(ctx, dir, System::currentTimeMillis);
        FakeChannel peer = new FakeChannel(FeedBuilder.random().id(), ctx);
        on(() -> g.onSessionReady(peer));
        long total = 0;
        for (WireMessage m : peer.sent) {
            List<byte[]> frame = ((WireMessage.CapabilityList) m).announcements();
            long bytes = frame.stream().mapToLong(b -> b.length).sum();
            assertThat(bytes).isLessThanOrEqualTo(CapabilityGossip.MAX_FRAME_BYTES);
            org.council.node.wire.FrameCodec.encode(m); // would throw over the frame limit
            total += bytes;
        }
        assertThat(total).isGreaterThan(0).isLessThanOrEqualTo(CapabilityGossip.INITIAL_MAX_BYTES);
    }
}
