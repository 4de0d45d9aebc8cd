package org.council.bench.scale;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.Scope;

/**
 * How long both halves of a receipt take to reach every node that needs them: when the
 * acknowledgement is written, the nodes that need the receipt are its two parties and every
 * online node whose replication scope holds either party's feed up to its half; the receipt has
 * converged when each of them holds both halves (a node that goes offline meanwhile is no longer
 * waited for, nor at the end one whose scope dropped the feed: {@link #releaseOutOfScope}). A
 * sample of receipts is probed; their times are in simulated milliseconds.
 */
final class ReceiptProbe {

    private static final class Probe {
        final SignedEvent proposal;
        final SignedEvent ack;
        final long startMs;
        final List<Long> sink;
        final Set<SimNode> waiting = new HashSet<>();
        long lastArrivalMs;

        Probe(SignedEvent proposal, SignedEvent ack, long startMs, List<Long> sink) {
            this.proposal = proposal;
            this.ack = ack;
            this.startMs = startMs;
            this.sink = sink;
            this.lastArrivalMs = startMs;
        }
    }

    private final Map<SignedEvent, List<Probe>> byEvent = new IdentityHashMap<>();
    private final Set<Probe> open = new LinkedHashSet<>();
    /** At every node that needs the receipt. */
    final List<Long> convergedMs = new ArrayList<>();
    /** At its two parties only. */
    final List<Long> partiesMs = new ArrayList<>();
    long probed;
    /** Receipts that converged only once the nodes still waiting at the end had dropped the feed from their scope. */
    long leftScope;
    long needers;

    /** Starts probing a receipt whose acknowledgement was just written. */
    void probe(SignedEvent proposal, SignedEvent ack, SimNode server, SimNode requester, List<SimNode> nodes, long nowMs) {
        probed++;
        Probe all = new Probe(proposal, ack, nowMs, convergedMs);
        Probe parties = new Probe(proposal, ack, nowMs, partiesMs);
        for (SimNode n : nodes) {
            boolean party = n == server || n == requester;
            if (n.online && (party || needs(n.peer.scope(), proposal) || needs(n.peer.scope(), ack))) {
                needers++;
                if (!n.store.holds(proposal) || !n.store.holds(ack)) {
                    all.waiting.add(n);
                    if (party) {
                        parties.waiting.add(n);
                    }
                }
            }
        }
        watch(all);
        watch(parties);
    }

    private void watch(Probe p) {
        if (p.waiting.isEmpty()) {
            p.sink.add(0L);
            return;
        }
        open.add(p);
        byEvent.computeIfAbsent(p.proposal, e -> new ArrayList<>()).add(p);
        byEvent.computeIfAbsent(p.ack, e -> new ArrayList<>()).add(p);
    }

    private static boolean needs(Scope scope, SignedEvent half) {
        Scope.Entry e = scope.entry(half.author());
        return e != null && e.upTo() >= half.seq();
    }

    /** Events {@code n} just committed. */
    void committed(SimNode n, List<SignedEvent> events, long nowMs) {
        if (byEvent.isEmpty()) {
            return;
        }
        for (SignedEvent e : events) {
            List<Probe> probes = byEvent.get(e);
            if (probes == null) {
                continue;
            }
            for (Probe p : List.copyOf(probes)) {
                if (p.waiting.contains(n) && n.store.holds(p.proposal) && n.store.holds(p.ack)) {
                    p.waiting.remove(n);
                    p.lastArrivalMs = nowMs;
                    settleIfDone(p);
                }
            }
        }
    }

    /** {@code n} went offline: no receipt waits for it any more. */
    void offline(SimNode n) {
        for (Probe p : List.copyOf(open)) {
            if (p.waiting.remove(n)) {
                settleIfDone(p); // converged when the last node still online got both halves
            }
        }
    }

    private void settleIfDone(Probe p) {
        if (p.waiting.isEmpty() && open.remove(p)) {
            p.sink.add(p.lastArrivalMs - p.startMs);
            forget(p.proposal, p);
            forget(p.ack, p);
        }
    }

    private void forget(SignedEvent e, Probe p) {
        List<Probe> probes = byEvent.get(e);
        if (probes != null && probes.remove(p) && probes.isEmpty()) {
            byEvent.remove(e);
        }
    }

    /**
     * At the end of the run: a node still waiting for a receipt whose scope no longer holds the
     * missing half's feed (the author was in scope only while connected, a pinned peer, or its
     * trust path lapsed) no longer needs it and is no longer waited for, as one that went offline;
     * a receipt left waiting for none converged with its last arrival. Returns how many settled so.
     */
    long releaseOutOfScope() {
        long released = 0;
        for (Probe p : List.copyOf(open)) {
            p.waiting.removeIf(n -> !isParty(p, n) && !(lacks(n, p.proposal) && needs(n.peer.scope(), p.proposal))
                    && !(lacks(n, p.ack) && needs(n.peer.scope(), p.ack)));
            if (p.waiting.isEmpty()) {
                released++;
                settleIfDone(p);
            }
        }
        return released;
    }

    private static boolean isParty(Probe p, SimNode n) {
        return n.id.equals(p.proposal.author()) || n.id.equals(p.ack.author());
    }

    private static boolean lacks(SimNode n, SignedEvent half) {
        return !n.store.holds(half);
    }

    /** Why receipts are still open at the end (stderr, with -Dbench.scale.explain=true): who waits for which half. */
    void explain(java.util.Map<org.council.crypto.NodeId, SimNode> byId, long nowMs) {
        for (Probe p : open) {
            if (p.sink != convergedMs) {
                continue;
            }
            StringBuilder b = new StringBuilder("open probe started " + (nowMs - p.startMs) / 1000 + " s before end");
            for (SimNode n : p.waiting) {
                for (SignedEvent half : List.of(p.proposal, p.ack)) {
                    if (n.store.holds(half)) {
                        continue;
                    }
                    SimNode author = byId.get(half.author());
                    long heldSeq = n.store.head(half.author()).map(h -> h.seq()).orElse(0L);
                    long peersHolding = n.sessions.keySet().stream().map(byId::get).filter(m -> m.store.holds(half)).count();
                    Scope.Entry e = n.peer.scope().entry(half.author());
                    b.append("\n  node ").append(n.index).append(n.online ? "" : " (offline)")
                            .append(" lacks seq ").append(half.seq()).append(" of ").append(author.index)
                            .append(author == byId.get(p.ack.author()) ? " (ack author)" : " (proposal author)")
                            .append(" holds up to ").append(heldSeq)
                            .append("; scope entry ").append(e == null ? "none" : "upTo " + e.upTo() + " at " + e.distance()
                                    + " hops" + (n.peer.offered(author.id) ? ", covered" : ", uncovered"))
                            .append("; author ").append(author.online ? "online" : "offline")
                            .append(n.sessions.containsKey(author.id) ? " connected" : " not connected")
                            .append("; ").append(peersHolding).append(" of ").append(n.sessions.size())
                            .append(" connected peers hold it");
                }
            }
            System.err.println(b);
        }
    }

    /** Receipts probed that had not reached every node needing them when the run ended. */
    long unconverged() {
        return open.stream().filter(p -> p.sink == convergedMs).count();
    }

    /** Receipts probed that had not reached both parties when the run ended. */
    long partiesUnconverged() {
        return open.stream().filter(p -> p.sink == partiesMs).count();
    }
}
