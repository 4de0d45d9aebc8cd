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
 * waited for). A sample of receipts is probed; their times are in simulated milliseconds.
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

    /** Receipts probed that had not reached every node needing them when the run ended. */
    long unconverged() {
        return open.stream().filter(p -> p.sink == convergedMs).count();
    }

    /** Receipts probed that had not reached both parties when the run ended. */
    long partiesUnconverged() {
        return open.stream().filter(p -> p.sink == partiesMs).count();
    }
}
