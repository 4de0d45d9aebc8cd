package org.council.api;

/**
 * How this node stands on the network, for {@code GET /api/v1/node}: whether peers could dial it
 * back (reachability) and its relaying, as a user of relays and as a relay.
 *
 * @param reachability       {@code UNKNOWN}, {@code PUBLIC} or {@code PRIVATE}
 * @param observedHost       this node's address as its peers see it, or null
 * @param relaysHeld         relays holding a reservation of this node (it is reachable through them)
 * @param reservationsServed nodes holding a reservation on this node
 * @param circuits           circuits through this node now
 * @param bytesRelayed       circuit bytes this node forwarded for others since start
 */
public record NetworkState(String reachability, String observedHost, int relaysHeld, int reservationsServed,
                           int circuits, long bytesRelayed) {
}
