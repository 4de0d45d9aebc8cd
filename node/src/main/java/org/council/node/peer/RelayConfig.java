package org.council.node.peer;

import java.time.Duration;

/**
 * Relaying, after libp2p's circuit relay v2: what this node offers as a relay and how many relays it
 * keeps when it cannot be dialled (docs/protocol.md, "Relays"; docs/threat-model.md has why each
 * default is what it is).
 *
 * @param enabled                   serve reservations and circuits for others (setting {@code relay.enabled})
 * @param maxReservations           nodes that may hold a reservation here at once ({@code relay.max.reservations})
 * @param maxCircuitsPerReservation circuits at once to one reserving node ({@code relay.max.circuits.per.reservation})
 * @param maxCircuits               circuits at once through this node in all ({@code relay.max.circuits})
 * @param maxCircuitBytes           bytes one circuit may carry, both directions together ({@code relay.max.circuit.bytes})
 * @param maxCircuitDuration        how long one circuit may stay open ({@code relay.max.circuit.seconds})
 * @param reservationsWanted        relays a node that learned it is not dialable reserves on
 */
public record RelayConfig(boolean enabled, int maxReservations, int maxCircuitsPerReservation, int maxCircuits,
                          long maxCircuitBytes, Duration maxCircuitDuration, int reservationsWanted) {

    public RelayConfig {
        if (maxReservations < 1 || maxCircuitsPerReservation < 1 || maxCircuits < 1 || maxCircuitBytes < 1
                || maxCircuitDuration.isNegative() || maxCircuitDuration.isZero() || reservationsWanted < 0) {
            throw new IllegalArgumentException("relay limits must be positive: " + this);
        }
    }

    /**
     * On, with room for 16 reserving nodes, 4 circuits each and 64 in all; a circuit carries at most
     * 64 MiB and lives at most 30 minutes (libp2p's "limited" relay is 128 KiB and 2 minutes, for
     * hole punching only; here the circuit is the session, so it must carry replication and a council).
     */
    public static RelayConfig defaults() {
        return new RelayConfig(true, 16, 4, 64, 64L << 20, Duration.ofMinutes(30), 2);
    }

    public RelayConfig withEnabled(boolean on) {
        return new RelayConfig(on, maxReservations, maxCircuitsPerReservation, maxCircuits, maxCircuitBytes,
                maxCircuitDuration, reservationsWanted);
    }

    public RelayConfig withLimits(int reservations, int circuitsPerReservation, int circuits, long bytes,
                                  Duration duration) {
        return new RelayConfig(enabled, reservations, circuitsPerReservation, circuits, bytes, duration,
                reservationsWanted);
    }
}
