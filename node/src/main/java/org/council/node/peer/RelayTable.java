package org.council.node.peer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;
import org.council.node.wire.CircuitState;

/**
 * A relay's bookkeeping, without sockets: who holds a reservation here (and on which session),
 * which circuits run between which two sessions, and every limit of {@link RelayConfig} — nodes
 * reserved, circuits per reservation and in all, bytes and duration per circuit. A circuit is
 * pending from the dialler's connect until the target accepts (at most {@link #PENDING_NANOS}).
 * Used on the peer context only ({@link RelayService}); {@code S} is the session type, so the
 * state machine is tested without a network.
 */
final class RelayTable<S> {

    static final long PENDING_NANOS = 10_000_000_000L;

    /** One circuit: the dialler's and the target's session, bytes so far, when it opened. */
    static final class Circuit<S> {
        final long id;
        final S dialler;
        final S target;
        final NodeId targetId;
        final long createdNanos;
        long openedNanos;
        boolean open;
        long bytes;

        Circuit(long id, S dialler, S target, NodeId targetId, long createdNanos) {
            this.id = id;
            this.dialler = dialler;
            this.target = target;
            this.targetId = targetId;
            this.createdNanos = createdNanos;
        }

        /** The other end's session, or null when {@code from} is neither end. */
        S other(S from) {
            return from == dialler ? target : from == target ? dialler : null;
        }
    }

    private final RelayConfig config;
    private final LongSupplier nanos;
    private final Map<NodeId, S> reservations = new LinkedHashMap<>();
    private final Map<Long, Circuit<S>> circuits = new HashMap<>();

    RelayTable(RelayConfig config, LongSupplier nanos) {
        this.config = config;
        this.nanos = nanos;
    }

    /** Files a reservation of {@code id} held on {@code session}; null when accepted, else why not. */
    String reserve(NodeId id, S session) {
        if (!config.enabled()) {
            return "relaying is off on this node";
        }
        if (!reservations.containsKey(id) && reservations.size() >= config.maxReservations()) {
            return "this relay holds " + config.maxReservations() + " reservations already";
        }
        reservations.put(id, session); // a renewed one moves to its latest session
        return null;
    }

    /** The session that holds {@code id}'s reservation, or null. */
    S reservation(NodeId id) {
        return reservations.get(id);
    }

    List<NodeId> reserved() {
        return List.copyOf(reservations.keySet());
    }

    /**
     * A dialler on {@code from} asks for circuit {@code id} to {@code target}: OPENED means the
     * circuit is filed as pending (ask the target), anything else is the refusal to send back.
     */
    CircuitState connect(long id, S from, NodeId target) {
        if (!config.enabled()) {
            return CircuitState.REFUSED;
        }
        S to = reservations.get(target);
        if (to == null || to == from) {
            return CircuitState.NO_RESERVATION;
        }
        if (circuits.containsKey(id)) {
            return CircuitState.REFUSED;
        }
        if (circuits.size() >= config.maxCircuits() || circuitsTo(target) >= config.maxCircuitsPerReservation()) {
            return CircuitState.LIMIT;
        }
        circuits.put(id, new Circuit<>(id, from, to, target, nanos.getAsLong()));
        return CircuitState.OPENED;
    }

    /** The target accepted a pending circuit (from its reservation's session); null when there is none such. */
    Circuit<S> opened(long id, S from) {
        Circuit<S> c = circuits.get(id);
        if (c == null || c.open || c.target != from) {
            return null;
        }
        c.open = true;
        c.openedNanos = nanos.getAsLong();
        return c;
    }

    /** The circuit {@code id} if {@code from} is one of its ends. */
    Circuit<S> of(long id, S from) {
        Circuit<S> c = circuits.get(id);
        return c == null || c.other(from) == null ? null : c;
    }

    /** Counts {@code n} bytes on an open circuit; false when that takes it over its byte limit. */
    boolean carry(Circuit<S> c, int n) {
        c.bytes += n;
        return c.bytes <= config.maxCircuitBytes();
    }

    Circuit<S> remove(long id) {
        return circuits.remove(id);
    }

    /** Removes and returns the circuits past their deadline: pending too long, or open too long. */
    List<Circuit<S>> expired() {
        long now = nanos.getAsLong();
        List<Circuit<S>> out = new ArrayList<>();
        circuits.values().removeIf(c -> {
            boolean late = c.open ? now - c.openedNanos > config.maxCircuitDuration().toNanos()
                    : now - c.createdNanos > PENDING_NANOS;
            if (late) {
                out.add(c);
            }
            return late;
        });
        return out;
    }

    /** The session ended: its reservation goes; its circuits are removed and returned (to close their other ends). */
    List<Circuit<S>> dropSession(S session) {
        reservations.values().removeIf(s -> s == session);
        List<Circuit<S>> out = new ArrayList<>();
        circuits.values().removeIf(c -> {
            boolean mine = c.dialler == session || c.target == session;
            if (mine) {
                out.add(c);
            }
            return mine;
        });
        return out;
    }

    int circuitsTo(NodeId target) {
        return (int) circuits.values().stream().filter(c -> c.targetId.equals(target)).count();
    }

    int circuitCount() {
        return circuits.size();
    }

    int reservationCount() {
        return reservations.size();
    }
}
