package org.council.node.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.council.crypto.NodeId;

/**
 * Whether this node can be dialled from outside, as its peers found when they dialled it back
 * (libp2p's AutoNAT): {@link Status#PUBLIC} once at least two peers reached it (one when it has a
 * single peer), {@link Status#PRIVATE} once as many failed and fewer succeeded, {@link Status#UNKNOWN}
 * until then. A later answer can change the conclusion; an undecided mix keeps the last one.
 *
 * <p>Thread-safe: the peer context records results, any thread reads (every method is synchronized;
 * the state is a handful of fields).
 */
public final class Reachability {

    /** What the dial-backs showed. */
    public enum Status { UNKNOWN, PUBLIC, PRIVATE }

    /** How many peers must agree before a conclusion (fewer when the node has fewer peers). */
    static final int QUORUM = 2;

    private final String configuredHost;
    private final Map<NodeId, Boolean> results = new LinkedHashMap<>();
    private Status status = Status.UNKNOWN;
    private String observedHost;

    /** @param configuredHost the listen host from the configuration; a wildcard one advertises nothing by itself */
    Reachability(String configuredHost) {
        this.configuredHost = configuredHost;
    }

    /** What the peers' dial-backs showed so far. */
    public synchronized Status status() {
        return status;
    }

    /** This node's address as the last peer that answered saw it (its public IP behind a NAT). */
    public synchronized Optional<String> observedHost() {
        return Optional.ofNullable(observedHost);
    }

    /**
     * The host to tell others: the configured listen host when it is a specific address, else the
     * observed one once dial-backs showed it works ({@link Status#PUBLIC}), else none.
     */
    public synchronized Optional<String> advertisedHost() {
        if (configuredHost != null && !configuredHost.isBlank() && !configuredHost.equals("0.0.0.0")
                && !configuredHost.equals("::")) {
            return Optional.of(configuredHost);
        }
        return status == Status.PUBLIC ? Optional.ofNullable(observedHost) : Optional.empty();
    }

    /** How many peers answered a dial-back, reachable or not. */
    public synchronized int answers() {
        return results.size();
    }

    /**
     * A peer's dial-back outcome (a peer's latest answer replaces its earlier one).
     *
     * @param peers how many peers this node has now: with one peer, its answer alone decides
     */
    synchronized void record(NodeId peer, boolean reachable, String observed, int peers) {
        results.put(peer, reachable);
        if (observed != null && !observed.isBlank()) {
            observedHost = observed;
        }
        int quorum = Math.max(1, Math.min(QUORUM, peers));
        long ok = results.values().stream().filter(b -> b).count();
        long failed = results.size() - ok;
        if (ok >= quorum) {
            status = Status.PUBLIC;
        } else if (failed >= quorum) {
            status = Status.PRIVATE;
        }
    }

    @Override
    public synchronized String toString() {
        return status + (observedHost == null ? "" : " as " + observedHost) + " (" + results.size() + " answers)";
    }
}
