package org.council.node.routing;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.council.bridge.BridgeException;
import org.council.bridge.ErrorCode;
import org.council.bridge.Job;
import org.council.bridge.ModelInfo;
import org.council.bridge.ModelName;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.node.peer.PeerManager;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.wire.WireMessage;

/**
 * Models beyond the connected peers, from the capabilities gossip's {@link ModelDirectory}: lists
 * them as network-known, and when a request names a model no connected peer serves, dials a few
 * of the nodes that announced it (through the address book, so the usual admission rules hold)
 * and hands the job to the first one connected that serves it. Thread-safe; never blocks.
 */
final class ModelFinder {

    /** Servers dialled per request: a few, so one request cannot make this node dial the world. */
    static final int MAX_DIALS = 4;
    static final long POLL_MS = 200;
    /** How long a request waits for a dialled server to connect and its announcement to arrive. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final PeerManager peers;
    private final Duration wait;

    ModelFinder(PeerManager peers, Duration wait) {
        this.peers = peers;
        this.wait = wait;
    }

    /** Adds the models the directory knows and {@code out} lacks, labelled "network" and how many nodes announce each. */
    void addNetworkModels(Map<String, ModelInfo> out) {
        ModelDirectory directory = peers == null ? null : peers.models();
        if (directory == null) {
            return;
        }
        long now = System.currentTimeMillis();
        // this node's own announcement is there too: its models are local, already in out
        directory.all(now).forEach((node, caps) -> {
            for (EventBody.ModelOffer offer : caps.models()) {
                if (!out.containsKey(offer.name())) {
                    out.put(offer.name(), info(offer, caps, directory.holding(offer.name(), now).servers()));
                }
            }
        });
    }

    /**
     * The network-known model that {@code asked} names (either spelling under the {@code :latest}
     * rule) as {@link #addNetworkModels} lists it, or empty: a lookup per spelling, not a walk
     * over every announcement, since every chat for a model not served here resolves its name.
     */
    Optional<ModelInfo> networkModel(String asked) {
        ModelDirectory directory = peers == null ? null : peers.models();
        if (directory == null) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        String base = ModelName.normalize(asked);
        for (String name : asked.equals(base) ? List.of(base, base + ":latest") : List.of(asked, base)) {
            ModelDirectory.Holding held = directory.holding(name, now);
            if (held != null) {
                return held.caps().models().stream().filter(o -> o.name().equals(name)).findFirst()
                        .map(offer -> info(offer, held.caps(), held.servers()));
            }
        }
        return Optional.empty();
    }

    private static ModelInfo info(EventBody.ModelOffer offer, EventBody.CapabilitiesAnnounced caps, int servers) {
        boolean simulated = offer.name().startsWith(SimulatedConfig.PREFIX) || "simulated".equals(caps.gpu());
        return new ModelInfo(offer.name(), "network (" + servers + " nodes)", simulated ? "simulated" : "",
                ModelInfo.parameterLabel(offer.parametersMillions()), offer.quantization(), 0, simulated,
                offer.capabilities().isEmpty() ? ModelInfo.TEXT_ONLY : offer.capabilities());
    }

    /**
     * When the directory knows servers of {@code model} with an address: dials up to
     * {@link #MAX_DIALS} of them (newest announcements first) and returns a job that runs
     * {@code run} on the first peer {@code connected} yields, or fails when none does within the
     * wait. Empty when the directory knows no such server.
     */
    Optional<Job> find(String model, long sequence, Supplier<Optional<NodeId>> connected, Function<NodeId, Job> run) {
        ModelDirectory directory = peers == null ? null : peers.models();
        if (directory == null) {
            return Optional.empty();
        }
        List<WireMessage.PeerAddress> dial = new ArrayList<>();
        for (ModelDirectory.Server s : directory.servers(model, System.currentTimeMillis())) {
            int colon = s.address().lastIndexOf(':');
            if (colon <= 0 || dial.size() >= MAX_DIALS) {
                continue;
            }
            try {
                int port = Integer.parseInt(s.address().substring(colon + 1));
                dial.add(new WireMessage.PeerAddress(s.node(), s.address().substring(0, colon), port));
            } catch (NumberFormatException e) {
                // an address that is no host:port is no way to reach it
            }
        }
        if (dial.isEmpty()) {
            return Optional.empty();
        }
        int known = directory.servers(model, System.currentTimeMillis()).size();
        peers.learnAddresses(dial, "capabilities-gossip");
        NetworkJob job = new NetworkJob(sequence);
        Vertx vertx = peers.peerContext().owner();
        long deadline = System.nanoTime() + wait.toNanos();
        vertx.setPeriodic(POLL_MS, timer -> {
            if (job.result().isComplete()) {
                vertx.cancelTimer(timer); // cancelled by the caller
                return;
            }
            Optional<NodeId> peer = connected.get();
            if (peer.isPresent()) {
                vertx.cancelTimer(timer);
                Job inner = run.apply(peer.get());
                job.onCancel(inner::cancel);
                if (job.result().isComplete()) {
                    inner.cancel();
                }
                inner.result().onComplete(ar -> {
                    if (ar.succeeded()) {
                        job.complete(ar.result());
                    } else {
                        job.fail(ar.cause());
                    }
                });
            } else if (System.nanoTime() - deadline > 0) {
                vertx.cancelTimer(timer);
                job.fail(new BridgeException(ErrorCode.BACKEND_UNREACHABLE, "model '" + model + "' is served by "
                        + known + " known nodes, none reachable yet"));
            }
        });
        return Optional.of(job);
    }
}
