package org.council.bench.hostile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.council.crypto.NodeId;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.peer.PeerConfig;
import org.council.node.peer.SessionLimits;

/** The honest pull of {@code replication.pull}: a fresh node seeded with the source, timed to its last event. */
final class Pulls {

    /**
     * The sink's new-feed budget. The default (1,000 per session per hour) would make the sink ban
     * the source as soon as the attackers' feeds the source admitted (up to 1,000 per identity) and
     * the source's own exceed it: docs/threat-model.md, "Honest sync at scale". This bench measures
     * the serving node under attack, so the sink is configured as that section advises.
     */
    static final int SINK_NEW_FEEDS = 1_000_000;

    record Pull(double seconds) {
    }

    private Pulls() {
    }

    /**
     * Starts a fresh node seeded with {@code source}; returns once it holds every feed of
     * {@code heads} up to its seq. Heads, not an event count: under attack the source also relays
     * the attackers' feeds, which must not count as the honest pull's progress.
     */
    static Pull pull(Path dir, Node source, Map<NodeId, Long> heads) throws InterruptedException {
        return pull(dir, source, heads, () -> { });
    }

    /** The same; {@code done} runs once the sink holds every feed, before it stops. */
    static Pull pull(Path dir, Node source, Map<NodeId, Long> heads, Runnable done) throws InterruptedException {
        long t0 = System.nanoTime();
        Node sink = Node.start(NodeConfig.local(dir).withPeers(PeerConfig.localDefaults()
                .withLimits(SessionLimits.defaults().withNewFeeds(SINK_NEW_FEEDS, Duration.ofHours(1)))
                .withSeeds(List.of(source.id().hex() + "@" + source.address()))));
        try {
            while (!heads.entrySet().stream().allMatch(h -> sink.store().head(h.getKey())
                    .map(x -> x.seq() >= h.getValue()).orElse(false))) {
                Thread.sleep(2);
                if (sink.peers().isBanned(source.id())) {
                    throw new IllegalStateException("the sink banned the source: " + sink.peers().misbehaviourCounts());
                }
                if (System.nanoTime() - t0 > 300_000_000_000L) {
                    throw new IllegalStateException("pull did not finish in 5 minutes: " + sink.store().eventCount());
                }
            }
            Pull p = new Pull((System.nanoTime() - t0) / 1e9);
            done.run();
            return p;
        } finally {
            sink.stop();
        }
    }
}
