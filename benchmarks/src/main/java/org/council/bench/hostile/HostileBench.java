package org.council.bench.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;
import org.council.bench.ledger.EventFactory;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.council.node.peer.PeerConfig;

/**
 * {@code replication.under_attack}: the honest pull of {@code replication.pull} (a fresh node pulls
 * 100k events over TLS) while one attacker of each kind of docs/threat-model.md is active against
 * the serving node, as a ratio to the same pull without attackers in the same run. The serving
 * node runs the production admission caps, except the per-netgroup cap: every 127.0.0.x address is
 * one /16, so it is relaxed to the connection cap (the per-address caps still apply).
 */
public final class HostileBench implements BenchSuite {

    private static final int EVENTS = Integer.getInteger("bench.hostile.events", 100_000);
    private static final int AUTHORS = 10;
    private static final int ATTACKER_LOOPS = 2;
    /** Which attackers run (names of {@link Attacks#KINDS}, comma-separated); all by default. */
    private static final List<String> CHOSEN = List.of(System.getProperty("bench.hostile.attacks",
            String.join(",", Attacks.KINDS)).split(","));
    /** Attackers give up by themselves after this, whatever happens to the pull. */
    private static final long ATTACK_MAX_MS = Long.getLong("bench.hostile.maxAttackMillis", 300_000);
    /**
     * Attackers run this long from other hosts (127.0.1.x) before the warm-up pull (which then takes
     * what the compilers still have queued), not measured; 0 (the default): not. The warm-up pull
     * compiles the honest path; without this, the first
     * seconds of the attacks (the node's defences, the attackers' own code) are compiled by the JIT
     * inside the attacked pull, a cost a node pays once, not under a lasting attack.
     */
    private static final long WARM_ATTACKS_MS = Long.getLong("bench.hostile.warmAttacksMillis", 0);

    @Override
    public String name() {
        return "hostile";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        TempDirs.withTempDir("council-bench-hostile", root -> runIn(root, reporter));
    }

    private void runIn(Path root, BenchReporter reporter) throws Exception {
        reporter.progress("generating %d signed events from %d authors...", EVENTS, AUTHORS);
        List<List<SignedEvent>> feeds = EventFactory.receiptFeeds(AUTHORS, EVENTS);
        PeerConfig.Admission base = PeerConfig.Admission.defaults();
        PeerConfig sourcePeers = PeerConfig.localDefaults().withAdmission(new PeerConfig.Admission(base.helloTimeout(),
                base.maxPending(), base.maxPendingPerAddress(), base.maxInboundPerAddress(),
                PeerConfig.localDefaults().maxConnections(), true, base.anchors(), base.handshakeBurst(),
                base.handshakesPerMinute(), base.banHandshakeCost()));
        Node source = Node.start(NodeConfig.local(root.resolve("source")).withPeers(sourcePeers));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(ATTACKER_LOOPS));
        try {
            fill(source, feeds);
            Map<NodeId, Long> held = new LinkedHashMap<>();
            source.store().heads().forEach(h -> held.put(h.author(), h.seq()));
            if (WARM_ATTACKS_MS > 0) {
                reporter.progress("attacks from 127.0.1.x for %d ms (JIT), not measured...", WARM_ATTACKS_MS);
                List<Attack> warm = Attacks.chosen(source, vertx, WARM_ATTACKS_MS, CHOSEN, "127.0.1.");
                List<Thread> threads = started(warm, "attacker-warm-");
                for (Thread t : threads) {
                    t.join(WARM_ATTACKS_MS + 60_000);
                }
            }
            reporter.progress("warm-up pull (JIT), not measured...");
            Pulls.pull(root.resolve("warmup"), source, held);
            reporter.progress("pull without attackers...");
            CpuSplit cpu = new CpuSplit(vertx, ATTACKER_LOOPS);
            cpu.start();
            Pulls.Pull quiet = Pulls.pull(root.resolve("quiet"), source, held, cpu::mark);
            Map<String, Double> quietCpu = cpu.since();
            Map<String, Double> quietThreads = cpu.byThread();
            double quietRate = EVENTS / quiet.seconds();
            reporter.progress("  %.0f events/s; starting the attackers...", quietRate);

            if (Boolean.getBoolean("bench.hostile.each")) {
                for (String kind : CHOSEN) {
                    List<Attack> one = Attacks.chosen(source, vertx, ATTACK_MAX_MS, List.of(kind));
                    Attacked p = underAttack(root.resolve("each-" + kind), source, held, one, cpu);
                    reporter.progress("  %s alone: ratio %.2f, cpu %s, ended %s, received %s, by thread %s", kind,
                            quiet.seconds() / p.pull().seconds(), p.cpu(), one.get(0).ended(), one.get(0).received(), p.threads());
                }
            }
            List<Attack> attacks = Attacks.chosen(source, vertx, ATTACK_MAX_MS, CHOSEN);
            reporter.progress("pull under attack...");
            Attacked under = underAttack(root.resolve("attacked"), source, held, attacks, cpu);
            Pulls.Pull attacked = under.pull();
            Map<String, Object> ended = new LinkedHashMap<>();
            attacks.forEach(a -> ended.put(a.name, a.ended()));
            Map<String, Object> received = new LinkedHashMap<>();
            attacks.forEach(a -> received.put(a.name, a.received()));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("ratio_must_be", ">= 0.8");
            extra.put("attackers", attacks.stream().map(a -> a.name + "@" + a.from).toList());
            extra.put("attacks_ended_in", ended);
            extra.put("attackers_received", received);
            extra.put("events", EVENTS);
            extra.put("seconds", attacked.seconds());
            extra.put("seconds_without", quiet.seconds());
            extra.put("misbehaviour", source.peers().misbehaviourCounts());
            extra.put("cpu_seconds_quiet", quietCpu);
            extra.put("cpu_seconds_attacked", under.cpu());
            extra.put("cpu_by_thread_quiet", quietThreads);
            extra.put("cpu_by_thread_attacked", under.threads());
            extra.put("transport", "TLS 1.3 loopback");
            extra.put("sink_new_feed_budget", Pulls.SINK_NEW_FEEDS);
            extra.put("feeds_at_source", source.store().heads().size());
            extra.put("limit_is", "the same pull without attackers, same run");
            extra.put("warm_attacks_ms", WARM_ATTACKS_MS);
            reporter.result("replication.under_attack", EVENTS / attacked.seconds(), "events/s", quietRate, extra);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            source.stop();
        }
    }

    /** A pull under attack, and the CPU seconds of attackers and nodes while it ran. */
    private record Attacked(Pulls.Pull pull, Map<String, Double> cpu, Map<String, Double> threads) {
    }

    /** Each attack on a daemon thread of its own, started. */
    private static List<Thread> started(List<Attack> attacks, String namePrefix) {
        List<Thread> threads = new ArrayList<>();
        for (Attack a : attacks) {
            Thread t = new Thread(a, namePrefix + a.name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    /** The pull while {@code attacks} run, each on its own thread; they are stopped (and joined) after it. */
    private static Attacked underAttack(Path dir, Node source, Map<NodeId, Long> held, List<Attack> attacks,
                                          CpuSplit cpu) throws InterruptedException {
        List<Thread> threads = started(attacks, "attacker-");
        Thread.sleep(2_000); // every attacker past its first connection before the pull starts
        cpu.start();
        Pulls.Pull pull = Pulls.pull(dir, source, held, cpu::mark);
        Map<String, Double> used = cpu.since();
        attacks.forEach(Attack::stop);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(60).toMillis());
        }
        return new Attacked(pull, used, cpu.byThread());
    }

    private static void fill(Node source, List<List<SignedEvent>> feeds) {
        List<CompletableFuture<List<IngestOutcome>>> pending = new ArrayList<>();
        for (List<SignedEvent> feed : feeds) {
            for (int from = 0; from < feed.size(); from += 512) {
                pending.add(source.store().ingest(feed.subList(from, Math.min(feed.size(), from + 512)).stream()
                        .map(SignedEvent::envelopeUnsafe).toList()));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }
}
