package org.council.bench.scale;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.reputation.KarmaConfig;
import org.council.ledger.reputation.KarmaEngine;
import org.council.ledger.scope.ScopeConfig;
import org.council.node.peer.PeerConfig;
import org.council.node.peer.SimulatedPeer;
import org.council.node.readmodel.ModelDirectory;

/**
 * One run of the scale simulation (docs/design.md, "Benchmarks"): builds the nodes, drives churn,
 * jobs, the rare model's announcements and the probes in simulated time, and sums up.
 */
final class ScaleSim {

    /** Simulated time 0 on the wall clock the events are dated by. */
    static final long EPOCH_MS = 1_780_000_000_000L;
    static final String RARE_MODEL = "rare-70b";
    static final long ANNOUNCE_AT_MS = 2 * ScaleParams.MINUTE;
    static final long DISCOVERY_CHECK_MS = 1_000;

    private final ScaleParams params;
    private final SimLoop loop = new SimLoop();
    private final SimContext sim = new SimContext(loop);
    private final Random random;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<NodeId, SimNode> byId = new HashMap<>();
    private final ReceiptProbe probe = new ReceiptProbe();
    private final List<SimNode> requesters = new ArrayList<>();
    private SimNetwork network;
    private SimJobs jobs;
    private int announcers;

    ScaleSim(ScaleParams params) {
        this.params = params;
        this.random = new Random(params.seed());
    }

    ScaleResult run() throws Exception {
        long started = System.nanoTime();
        try (sim) {
            sim.at(0, this::build);
            loop.runUntil(0);
            sim.at(ANNOUNCE_AT_MS, this::announce);
            loop.runUntil(params.durationMs());
            if (Boolean.getBoolean("bench.scale.explain")) {
                probe.explain(byId, loop.nowMs());
            }
            probe.leftScope = probe.releaseOutOfScope();
            return ScaleResult.of(params, nodes, network, jobs, probe, requesters, announcers, ANNOUNCE_AT_MS,
                    (System.nanoTime() - started) / 1e9, loop.executed());
        }
    }

    private void build() {
        LongSupplier clock = () -> EPOCH_MS + loop.nowMs();
        PeerConfig config = PeerConfig.localDefaults()
                .withReplication(PeerConfig.Replication.scoped(ScopeConfig.defaults(), Set.of()));
        MemoryLedgerStore.Registry registry = new MemoryLedgerStore.Registry();
        SecureRandom keyRandom = seeded(params.seed());
        for (int i = 0; i < params.nodes(); i++) {
            NodeKeyPair keys = NodeKeyPair.generate(keyRandom);
            MemoryLedgerStore store = new MemoryLedgerStore(keys, registry, clock);
            ModelDirectory directory = new ModelDirectory(ModelDirectory.Limits.defaults(), new Random(params.seed() + i));
            SimNode n = new SimNode(i, keys, store, directory, new SimulatedPeer(sim.context(), store, config,
                    directory, clock, registry::decodeResult));
            // as the peer manager does: commits reach the protocols as a task of the peer context
            store.onCommitted(events -> {
                probe.committed(n, events, loop.nowMs());
                sim.context().runOnContext(v -> n.peer.committed(events));
            });
            if (i < params.karmaSample()) {
                n.karma = KarmaEngine.start(store, KarmaConfig.defaults().withClock(clock), Set.of(), Runnable::run);
            }
            n.peer.start();
            nodes.add(n);
            byId.put(n.id, n);
        }
        network = new SimNetwork(sim, loop, nodes, byId, params.sessions(), params.maxSessions(), params.latencyMs(), random);
        jobs = new SimJobs(sim, loop, nodes, byId, params, random, probe);
        for (SimNode n : nodes) {
            if (random.nextDouble() < params.lateJoinShare()) {
                sim.at(Math.round(random.nextDouble() * params.durationMs() / 2), () -> online(n));
            } else {
                online(n);
            }
        }
        sim.after(0, network::dialTick);
        sim.after(1_000, this::gossipTick);
    }

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long exponential(long meanMs) {
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * meanMs));
    }

    private void online(SimNode n) {
        n.online = true;
        n.joined = true;
        n.epoch++;
        jobs.start(n);
        sim.after(exponential(params.meanOnlineMs()), () -> offline(n));
    }

    private void offline(SimNode n) {
        n.online = false;
        network.disconnectAll(n);
        probe.offline(n);
        sim.after(exponential(params.meanOfflineMs()), () -> online(n));
    }

    /** The gossip's forwarding tick, once a simulated second as the peer manager runs it, on nodes with something to forward. */
    private void gossipTick() {
        for (SimNode n : nodes) {
            if (n.online && n.gossipActiveUntilMs >= loop.nowMs()) {
                n.peer.tick();
            }
        }
        sim.after(1_000, this::gossipTick);
    }

    /** 1% of the online nodes announce the rare model; every node online then is a requester of it. */
    private void announce() {
        List<SimNode> online = nodes.stream().filter(n -> n.online).toList();
        requesters.addAll(online);
        int count = Math.max(1, (int) Math.round(params.nodes() * params.announcerShare()));
        List<SimNode> shuffled = new ArrayList<>(online);
        java.util.Collections.shuffle(shuffled, random);
        for (SimNode n : shuffled.subList(0, Math.min(count, shuffled.size()))) {
            n.store.append(new EventBody.CapabilitiesAnnounced(List.of(new EventBody.ModelOffer(RARE_MODEL, 70_000,
                    "q4_K_M", 8192, List.of("completion"))), "sim", 1, "sim://" + n.index)).join();
            n.gossipActiveUntilMs = loop.nowMs() + SimNetwork.GOSSIP_ACTIVE_MS;
            announcers++;
        }
        sim.after(DISCOVERY_CHECK_MS, this::discoveryCheck);
    }

    /** Notes when each requester's directory first lists a server of the rare model. */
    private void discoveryCheck() {
        long now = EPOCH_MS + loop.nowMs();
        boolean pending = false;
        for (SimNode n : requesters) {
            if (n.discoveredAtMs < 0) {
                if (!n.directory.servers(RARE_MODEL, now).isEmpty()) {
                    n.discoveredAtMs = loop.nowMs();
                } else {
                    pending = true;
                }
            }
        }
        if (pending) {
            sim.after(DISCOVERY_CHECK_MS, this::discoveryCheck);
        }
    }
}
