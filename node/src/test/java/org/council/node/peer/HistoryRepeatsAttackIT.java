package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle identities of one address (keys are free) each asking for the whole ledger: together they
 * are served one catch-up plus the address's repeats ({@link HostRepeats}), while an honest peer
 * from another address is served everything. The target runs the production admission limits
 * with a low repeat rate, so that four catch-ups would be far over the bound.
 */
class HistoryRepeatsAttackIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int AUTHORS = 4;
    private static final int EVENTS_EACH = 2_048;
    private static final int HELD = AUTHORS * EVENTS_EACH;
    private static final int REPEATS_PER_SECOND = 64;

    @TempDir
    Path dir;

    private TestCluster cluster;
    private Vertx vertx;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        TestCluster.await(vertx.close());
        cluster.close();
    }

    @Test
    void identitiesOfOneAddressAreServedOneCatchUpAndTheRepeatRateWhileAnotherAddressGetsEverything() {
        PeerConfig.Admission d = PeerConfig.Admission.defaults();
        PeerConfig.Admission admission = new PeerConfig.Admission(d.helloTimeout(), d.maxPending(),
                d.maxPendingPerAddress(), d.maxInboundPerAddress(), d.maxInboundPerNetgroup(), d.dialPrivate(),
                d.anchors(), d.handshakeBurst(), d.handshakesPerMinute(), d.banHandshakeCost(), d.banProbation(),
                d.hostBudgets(), REPEATS_PER_SECOND);
        Node target = cluster.start("target", PeerConfig.localDefaults().withAdmission(admission));
        Set<NodeId> authors = fill(target);

        long t0 = System.nanoTime();
        List<BoundPeer> idle = new ArrayList<>();
        for (int i = 0; i < d.maxInboundPerAddress(); i++) {
            idle.add(pulling(target, "127.0.0.3"));
        }
        BoundPeer honest = pulling(target, "127.0.0.2");
        TestCluster.awaitTrue(() -> events(honest, authors) == HELD, WAIT,
                () -> "the honest peer got " + events(honest, authors) + " of " + HELD);
        TestCluster.awaitTrue(() -> idle.stream().anyMatch(p -> events(p, authors) == HELD), WAIT,
                () -> "no identity of the address got one catch-up");
        double seconds = (System.nanoTime() - t0) / 1e9;
        long served = idle.stream().mapToLong(p -> events(p, authors)).sum();

        // one catch-up; the burst and the rate since the first hello; and one batch each for the
        // others, read after the check that let them and paid for after
        long bound = HELD + (long) (HostRepeats.BURST_SECONDS + seconds) * REPEATS_PER_SECOND
                + (idle.size() - 1L) * FeedSync.MAX_BATCH_EVENTS;
        assertThat(served).as("events served to %d identities of one address in %.1f s", idle.size(), seconds)
                .isLessThanOrEqualTo(bound)
                .isLessThan((long) idle.size() * HELD / 2); // far from one catch-up each
        assertThat(idle).as("repeats are slowed, not refused").noneMatch(BoundPeer::isClosed);
        assertThat(target.peers().misbehaviourCounts()).isEmpty();
    }

    /** {@value #AUTHORS} feeds of {@value #EVENTS_EACH} events in the target's store; their authors. */
    private static Set<NodeId> fill(Node target) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        List<NodeId> authors = new ArrayList<>();
        for (int a = 0; a < AUTHORS; a++) {
            FeedBuilder feed = new FeedBuilder(NodeKeyPair.generate());
            for (int i = 0; i < EVENTS_EACH; i++) {
                feed.next(FeedBuilder.capabilities("m" + i));
            }
            authors.add(feed.id());
            List<byte[]> envelopes = feed.envelopes();
            for (int from = 0; from < envelopes.size(); from += 512) {
                pending.add(target.store().ingest(envelopes.subList(from, Math.min(envelopes.size(), from + 512))));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return Set.copyOf(authors);
    }

    /** A fresh identity from {@code host} that says hello, holds nothing and reads what it is sent. */
    private BoundPeer pulling(Node target, String host) {
        BoundPeer p = TestCluster.await(new BoundPeer(NodeKeyPair.generate()).hello(vertx, target.peers().listenPort(),
                host, "council-test"));
        TestCluster.awaitTrue(() -> p.got(WireMessage.Kind.CLOCKS), WAIT, () -> "not admitted from " + host);
        p.send(new WireMessage.Clocks(List.of(), true));
        return p;
    }

    /** Events of {@code authors} that {@code p} was sent. */
    private static long events(BoundPeer p, Set<NodeId> authors) {
        return p.received.stream().filter(m -> m instanceof WireMessage.EventBatch b && authors.contains(b.author()))
                .mapToLong(m -> ((WireMessage.EventBatch) m).events().size()).sum();
    }
}
