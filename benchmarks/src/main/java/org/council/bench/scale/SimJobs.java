package org.council.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.council.crypto.NodeId;
import org.council.ledger.event.Credits;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.node.routing.NetworkChat;

/**
 * Jobs between simulated nodes. Each online node asks a job at exponential intervals (its rate per
 * hour) of a connected peer chosen by the node's routing rule ({@link NetworkChat#choosePeer}:
 * at random, weighted by karma, a share uniform): by the real karma engine on the sampled nodes,
 * uniform elsewhere (karma 0 for every peer). The job itself is modelled, not run: the request
 * reaches the server after one latency, the server writes its {@code ServiceProposed} after the
 * service time, the claim reaches the requester one latency later and it writes its
 * {@code ServiceAcknowledged}, as {@code Receipts} and {@code RemoteInferenceClient} do; each half
 * reaches the other party by replication only. A party that went offline meanwhile fails the job.
 */
final class SimJobs {

    static final String MODEL = "common-8b";
    private static final long PARAMS_MILLIONS = 8_000;

    private final SimContext sim;
    private final SimLoop loop;
    private final List<SimNode> nodes;
    private final java.util.Map<NodeId, SimNode> byId;
    private final ScaleParams params;
    private final Random random;
    private final ReceiptProbe probe;
    private final double probeChance;
    long asked;
    long completed;
    long failed;

    SimJobs(SimContext sim, SimLoop loop, List<SimNode> nodes, java.util.Map<NodeId, SimNode> byId, ScaleParams params,
            Random random, ReceiptProbe probe) {
        this.sim = sim;
        this.loop = loop;
        this.nodes = nodes;
        this.byId = byId;
        this.params = params;
        this.random = random;
        this.probe = probe;
        double expected = params.nodes() * params.jobsPerNodeHour() * params.durationMs() / 3_600_000.0;
        this.probeChance = Math.min(1, params.probedReceipts() / Math.max(1, expected * 0.8));
    }

    /** Starts {@code n}'s stream of requests for its current time online. */
    void start(SimNode n) {
        int epoch = n.epoch;
        sim.after(nextGapMs(), () -> ask(n, epoch));
    }

    private long nextGapMs() {
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * 3_600_000.0 / params.jobsPerNodeHour()));
    }

    private void ask(SimNode r, int epoch) {
        if (!r.online || r.epoch != epoch) {
            return; // this stream ended when the node left
        }
        sim.after(nextGapMs(), () -> ask(r, epoch));
        List<NodeId> candidates = new ArrayList<>(r.sessions.keySet());
        if (candidates.isEmpty()) {
            return;
        }
        candidates.sort(java.util.Comparator.comparing(NodeId::hex)); // a deterministic order for the draw
        NodeId chosen = NetworkChat.choosePeer(candidates, r.karma == null ? p -> 0.0 : r.karma::karma, random)
                .orElseThrow();
        asked++;
        r.requests++;
        if (r.karma != null && r.karma.ranked(chosen).isPresent()) {
            r.requestsKarmaKnown++;
        }
        SimNode s = byId.get(chosen);
        byte[] jobBytes = new byte[JobId.LENGTH];
        random.nextBytes(jobBytes);
        JobId job = JobId.of(jobBytes);
        sim.after(params.latencyMs() + params.serviceMs(), () -> serve(r, s, job));
    }

    private void serve(SimNode r, SimNode s, JobId job) {
        if (!s.online || !r.online) {
            failed++;
            return;
        }
        int prompt = 200 + random.nextInt(800);
        int completion = 100 + random.nextInt(400);
        byte[] requestHash = new byte[32];
        byte[] responseHash = new byte[32];
        random.nextBytes(requestHash);
        random.nextBytes(responseHash);
        SignedEvent proposal = s.store.append(new EventBody.ServiceProposed(job, r.id, MODEL, PARAMS_MILLIONS, prompt,
                completion, 0, params.serviceMs(), requestHash, responseHash,
                Credits.milli(PARAMS_MILLIONS, prompt, completion), "")).join(); // completed: signed in place
        sim.after(params.latencyMs(), () -> acknowledge(r, s, job, proposal));
    }

    private void acknowledge(SimNode r, SimNode s, JobId job, SignedEvent proposal) {
        if (!r.online) {
            failed++;
            return;
        }
        SignedEvent ack = r.store.append(new EventBody.ServiceAcknowledged(job, s.id, proposal.seq(), proposal.id()))
                .join();
        completed++;
        if (loop.nowMs() < params.durationMs() - 5 * ScaleParams.MINUTE && random.nextDouble() < probeChance) {
            probe.probe(proposal, ack, s, r, nodes, loop.nowMs());
        }
    }
}
