package org.council.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.council.crypto.NodeId;
import org.council.node.peer.ScopeDials;
import org.council.node.peer.SimulatedPeer;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.WireMessage;

/**
 * Sessions between simulated nodes: each online node keeps {@code target} sessions (at most
 * {@code max} each), topped up every {@link #DIAL_INTERVAL_MS} with the scope neighbours its
 * {@link ScopeDials} picks, then with peers drawn at random among online nodes with room, plus one
 * catch-up session ({@link #dialTick}). A frame reaches the other end {@code latencyMs} later, in order; its
 * size is the real codec's ({@link FrameCodec#encode}, with its 4-byte length). A session
 * closes on churn or when a protocol ends it (misbehaviour is counted by reason).
 */
final class SimNetwork {

    static final long DIAL_INTERVAL_MS = 5_000;
    /**
     * A node that received announcements is ticked ({@code CapabilityGossip.tick}) for this long
     * after: what it learned is queued for forwarding at once and drains at 64 a tick; the others'
     * ticks would send nothing, so the simulation skips them.
     */
    static final long GOSSIP_ACTIVE_MS = 10_000;

    /** One session: two ends, each one node's {@link SimulatedPeer.Link}. */
    final class Session {
        final SimNode a;
        final SimNode b;
        SimulatedPeer.Link aEnd;
        SimulatedPeer.Link bEnd;
        boolean open = true;

        Session(SimNode a, SimNode b) {
            this.a = a;
            this.b = b;
        }

        SimNode other(SimNode n) {
            return n == a ? b : a;
        }

        SimulatedPeer.Link endOf(SimNode n) {
            return n == a ? aEnd : bEnd;
        }
    }

    private final SimContext sim;
    private final SimLoop loop;
    private final List<SimNode> nodes;
    private final Map<NodeId, SimNode> byId;
    private final int target;
    private final int max;
    private final long latencyMs;
    private final Random random;
    final Map<String, Integer> closedBy = new TreeMap<>();
    final Map<String, String> closeDetail = new TreeMap<>();
    long sessionsOpened;
    long catchUps;

    SimNetwork(SimContext sim, SimLoop loop, List<SimNode> nodes, Map<NodeId, SimNode> byId, int target, int max, long latencyMs, Random random) {
        this.sim = sim;
        this.loop = loop;
        this.nodes = nodes;
        this.byId = byId;
        this.target = target;
        this.max = max;
        this.latencyMs = latencyMs;
        this.random = random;
    }

    /**
     * Every {@link #DIAL_INTERVAL_MS}, as the node's {@code Dialler} does with the same
     * {@link ScopeDials}: closes catch-up sessions that caught up or timed out; tops up every online
     * node's sessions, first with scope neighbours no session covers, then at random; and opens one
     * catch-up session to an uncovered scope neighbour beyond them. A dial of an offline or full node
     * is a failed dial: tried, a token spent.
     */
    void dialTick() {
        long now = loop.nowMs();
        List<SimNode> open = new ArrayList<>();
        for (SimNode n : nodes) {
            if (n.online && n.sessions.size() < max) {
                open.add(n);
            }
        }
        for (SimNode n : nodes) {
            if (!n.online) {
                continue;
            }
            closeCaughtUp(n, now);
            int free = target - ordinary(n);
            if (free > 0) {
                for (NodeId id : n.dials.next(n.peer.scope(), held(n), covered(n), Integer.MAX_VALUE, now, free)) {
                    n.dials.tried(id, now);
                    SimNode m = byId.get(id);
                    if (m != null && m.online && m.sessions.size() < max) {
                        connect(n, m);
                    }
                }
            }
            for (int tries = 0; ordinary(n) < target && tries < 3 * target && !open.isEmpty(); tries++) {
                SimNode m = open.get(random.nextInt(open.size()));
                if (m != n && m.online && m.sessions.size() < max && !n.sessions.containsKey(m.id)) {
                    connect(n, m);
                }
            }
            if (n.catchUp == null && n.dials.limits().catchUpSessions() > 0) {
                for (NodeId id : n.dials.next(n.peer.scope(), held(n), covered(n), ScopeDials.CATCH_UP_MAX_HOPS, now, 1)) {
                    n.dials.tried(id, now);
                    SimNode m = byId.get(id);
                    if (m != null && m.online && m.sessions.size() < max) {
                        n.catchUp = connect(n, m);
                        n.catchUpUntilMs = now + ScopeDials.CATCH_UP_TIMEOUT_MS;
                        catchUps++;
                    }
                }
            }
        }
        sim.after(DIAL_INTERVAL_MS, this::dialTick);
    }

    /** Sessions other than the node's own catch-up session. */
    private static int ordinary(SimNode n) {
        return n.sessions.size() - (n.catchUp != null && n.catchUp.open ? 1 : 0);
    }

    private void closeCaughtUp(SimNode n, long now) {
        Session s = n.catchUp;
        if (s != null && (!s.open || now >= n.catchUpUntilMs || n.peer.caughtUp(s.endOf(n)))) {
            n.catchUp = null;
            if (s.open) {
                s.endOf(n).close();
            }
        }
    }

    private static java.util.function.ToLongFunction<NodeId> held(SimNode n) {
        return n.peer::held;
    }

    private static java.util.function.Predicate<NodeId> covered(SimNode n) {
        return author -> n.sessions.containsKey(author) || n.peer.offered(author);
    }

    Session connect(SimNode a, SimNode b) {
        Session s = new Session(a, b);
        a.sessions.put(b.id, s);
        b.sessions.put(a.id, s);
        sessionsOpened++;
        s.aEnd = a.peer.open(b.id, m -> transmit(s, a, m), (r, d) -> closed(s, a, r, d));
        s.bEnd = b.peer.open(a.id, m -> transmit(s, b, m), (r, d) -> closed(s, b, r, d));
        return s;
    }

    /** Closes every session of {@code n} (it goes offline). */
    void disconnectAll(SimNode n) {
        for (Session s : List.copyOf(n.sessions.values())) {
            s.endOf(n).close();
        }
    }

    private void transmit(Session s, SimNode from, WireMessage m) {
        int bytes = FrameCodec.encode(m).length(); // the 4-byte length prefix included
        if (m.kind() == WireMessage.Kind.CAPABILITIES) {
            from.gossipBytes += bytes;
        } else {
            from.replicationBytes += bytes;
        }
        SimNode to = s.other(from);
        sim.after(latencyMs, () -> {
            if (m.kind() == WireMessage.Kind.CAPABILITIES) {
                to.gossipActiveUntilMs = loop.nowMs() + GOSSIP_ACTIVE_MS;
            }
            s.endOf(to).deliver(m); // a closed end drops it
        });
    }

    private void closed(Session s, SimNode by, WireMessage.Reason reason, String detail) {
        if (reason != WireMessage.Reason.UNSPECIFIED) {
            closedBy.merge(reason.name(), 1, Integer::sum);
            closeDetail.putIfAbsent(reason.name(), detail);
        }
        if (!s.open) {
            return;
        }
        s.open = false;
        s.a.sessions.remove(s.b.id, s);
        s.b.sessions.remove(s.a.id, s);
        SimNode other = s.other(by);
        sim.after(latencyMs, () -> s.endOf(other).close()); // the goodbye reaches the other end
    }
}
