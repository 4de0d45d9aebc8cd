package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.ChatMessage;
import org.council.bridge.simulated.SimulatedBackend;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.ledger.event.Credits;
import org.council.node.inference.RemoteReply;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inference across the peer connection, its bilateral receipt, and the requests a server must refuse. */
class RemoteInferenceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MODEL = "simulated-llama-3b";

    @TempDir
    Path dir;

    @Test
    void aPeerServesAJobAndBothHalvesOfTheReceiptReplicate() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Node requester = cluster.start("requester", List.of(server.id().hex() + "@" + server.address()));
            TestCluster.awaitTrue(() -> requester.peers().link(server.id()).isPresent() || connected(requester, server),
                    WAIT, () -> "not connected");
            List<String> tokens = new CopyOnWriteArrayList<>();

            RemoteReply reply = TestCluster.await(requester.inference().client().infer(server.id(), MODEL,
                    List.of(ChatMessage.user("What is a council?")), 0, "answer", WAIT, tokens::add));

            assertThat(reply.text()).startsWith(SimulatedBackend.BANNER).isEqualTo(String.join("", tokens));
            assertThat(reply.acknowledged()).as(String.valueOf(reply.refusal())).isTrue();
            EventBody.ServiceProposed claim = (EventBody.ServiceProposed) reply.proposal().body();
            assertThat(claim.creditsMilli()).isEqualTo(Credits.milli(claim.parametersMillions(), claim.promptTokens(),
                    claim.completionTokens())).isPositive();
            cluster.awaitConverged(WAIT);
            for (Node n : List.of(server, requester)) {
                assertThat(n.store().account(server.id()).earnedMilli()).isEqualTo(claim.creditsMilli());
                assertThat(n.store().account(requester.id()).spentMilli()).isEqualTo(claim.creditsMilli());
            }
            TestCluster.awaitTrue(() -> requester.karma().karma(server.id()) > 0, WAIT,
                    () -> "the server's karma at the requester did not rise");
        }
    }

    private static boolean connected(Node a, Node b) {
        return a.peers().connectedPeers().containsKey(b.id());
    }

    @Test
    void replayedStaleMisaddressedAndForeignRequestsAreRefused() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = ready(vertx, server, me);
                List<ChatMessage> ask = List.of(ChatMessage.user("hi"));

                RemoteRequest fresh = RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis(),
                        MODEL, ask, 8, "chat");
                p.send(fresh.toWire());
                TestCluster.awaitTrue(() -> done(p) != null, WAIT, () -> "no result: " + p.received + " closed=" + p.isClosed());
                p.send(fresh.toWire()); // the very same signed bytes again
                assertThat(awaitError(p, "REPLAYED")).isNotNull();

                p.send(RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis() - 600_000, MODEL,
                        ask, 8, "chat").toWire());
                assertThat(awaitError(p, "STALE")).isNotNull();
                p.send(RemoteRequest.sign(me, NodeKeyPair.generate().id(), JobId.random(), System.currentTimeMillis(),
                        MODEL, ask, 8, "chat").toWire());
                assertThat(awaitError(p, "REFUSED").detail()).contains("addressed to");
                NodeKeyPair other = NodeKeyPair.generate();
                p.send(RemoteRequest.sign(other, server.id(), JobId.random(), System.currentTimeMillis(), MODEL, ask, 8,
                        "chat").toWire());
                TestCluster.awaitTrue(() -> errors(p, "REFUSED") >= 2, WAIT, () -> "foreign request not refused");
                p.send(RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis(), "no-such-model",
                        ask, 8, "chat").toWire());
                assertThat(awaitError(p, "NO_SUCH_MODEL")).isNotNull();
                // one job served, one receipt proposed: refusals and failures earn nothing
                TestCluster.awaitTrue(() -> server.store().account(server.id()).pendingEarnedMilli() > 0, WAIT, () -> "");
                try (var feed = server.store().feed(server.id(), 1, 100)) {
                    assertThat(feed.filter(e -> e.body() instanceof EventBody.ServiceProposed).count()).isEqualTo(1);
                }
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    @Test
    void forgedAcknowledgementsSettleNothing() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node server = cluster.start("server", List.of());
            Vertx vertx = Vertx.vertx();
            try {
                NodeKeyPair me = NodeKeyPair.generate();
                RawPeer p = ready(vertx, server, me);
                p.send(RemoteRequest.sign(me, server.id(), JobId.random(), System.currentTimeMillis(), MODEL,
                        List.of(ChatMessage.user("hi")), 8, "chat").toWire());
                TestCluster.awaitTrue(() -> done(p) != null, WAIT, () -> "no result: " + p.received + " closed=" + p.isClosed());
                SignedEvent proposal = ((org.council.ledger.codec.DecodeResult.Decoded) EventCodec.decode(done(p).proposal()))
                        .event();
                EventBody.ServiceProposed claim = (EventBody.ServiceProposed) proposal.body();

                // a third node "acknowledges" on the requester's behalf; the requester acks the wrong job
                FeedBuilder thief = FeedBuilder.random();
                SignedEvent thirdPartyAck = thief.next(FeedBuilder.ack(proposal));
                FeedBuilder requesterFeed = new FeedBuilder(me);
                SignedEvent wrongJob = requesterFeed.next(new EventBody.ServiceAcknowledged(JobId.random(),
                        server.id(), proposal.seq(), proposal.id()));
                assertThat(server.store().ingest(List.of(thirdPartyAck.envelope(), wrongJob.envelope())).join())
                        .allMatch(IngestOutcome::accepted);
                assertThat(server.store().account(server.id()).earnedMilli()).isZero();
                assertThat(server.store().account(server.id()).pendingEarnedMilli()).isEqualTo(claim.creditsMilli());
                assertThat(server.store().unpaid(server.id())).as("remembered as unpaid work").singleElement()
                        .satisfies(u -> {
                            assertThat(u.requester()).isEqualTo(me.id());
                            assertThat(u.creditsMilli()).isEqualTo(claim.creditsMilli());
                        });

                // the genuine acknowledgement settles it
                SignedEvent genuine = requesterFeed.next(FeedBuilder.ack(proposal));
                assertThat(server.store().ingest(List.of(genuine.envelope())).join()).allMatch(IngestOutcome::accepted);
                assertThat(server.store().account(server.id()).earnedMilli()).isEqualTo(claim.creditsMilli());
                assertThat(server.store().account(me.id()).spentMilli()).isEqualTo(claim.creditsMilli());
                assertThat(server.store().account(thief.id()).spentMilli()).isZero();
                assertThat(server.store().unpaid(server.id())).isEmpty();
            } finally {
                TestCluster.await(vertx.close());
            }
        }
    }

    /** Connects, says hello, waits for the node's clocks, sends empty clocks. */
    private static RawPeer ready(Vertx vertx, Node server, NodeKeyPair me) {
        RawPeer p = TestCluster.await(new RawPeer(me).connect(vertx, server.peers().listenPort()));
        p.send(new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", me.id(), 0, "test"));
        TestCluster.awaitTrue(() -> p.received.stream().anyMatch(m -> m instanceof WireMessage.Clocks) || p.isClosed(),
                WAIT, () -> "no clocks");
        p.send(new WireMessage.Clocks(List.of(), true));
        return p;
    }

    private static WireMessage.InferenceDone done(RawPeer p) {
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceDone)
                .map(m -> (WireMessage.InferenceDone) m).findFirst().orElse(null);
    }

    private static long errors(RawPeer p, String code) {
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceError e && e.code().equals(code)).count();
    }

    private static WireMessage.InferenceError awaitError(RawPeer p, String code) {
        TestCluster.awaitTrue(() -> errors(p, code) > 0, WAIT, () -> "no " + code + " error: " + p.received);
        return p.received.stream().filter(m -> m instanceof WireMessage.InferenceError e && e.code().equals(code))
                .map(m -> (WireMessage.InferenceError) m).reduce((a, b) -> b).orElseThrow();
    }
}
