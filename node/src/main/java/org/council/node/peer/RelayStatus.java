package org.council.node.peer;

/**
 * This node's relaying at one moment (a snapshot, see {@link PeerManager#relayStatus()}).
 *
 * @param reservationsHeld   relays that hold a reservation of this node (it is reachable through them)
 * @param reservationsServed nodes holding a reservation on this node
 * @param circuits           circuits through this node now (pending and open)
 * @param circuitsOpened     circuits through this node since start that the target accepted
 * @param circuitsRefused    circuit requests refused since start (no reservation, limits)
 * @param bytesRelayed       circuit bytes forwarded since start, both directions
 */
public record RelayStatus(int reservationsHeld, int reservationsServed, int circuits, long circuitsOpened,
                          long circuitsRefused, long bytesRelayed) {

    RelayStatus(int held, long[] c) {
        this(held, (int) c[0], (int) c[1], c[2], c[3], c[4]);
    }
}
