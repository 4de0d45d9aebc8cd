package org.council.node.peer;

import java.time.Duration;
import java.util.List;

/**
 * How a node meets peers.
 *
 * @param networkId          peers of another network are refused at hello ("council-main", "council-test", ...)
 * @param listenHost         address to accept connections on; loopback unless configured
 * @param listenPort         TCP port; 0 picks a free one
 * @param seeds              peers to dial and keep dialling: {@code host:port} or {@code <node id hex>@host:port}
 * @param maxConnections     cap on sessions, inbound and outbound together
 * @param targetConnections  the dialler stops opening connections at this many sessions
 * @param banDuration        how long a misbehaving peer is refused
 * @param duplicateBudget    duplicate events a peer may send before it is flooding (token bucket size)
 * @param duplicateRefillPerSecond refill rate of that bucket
 * @param lan                optional LAN discovery over UDP multicast; off by default
 * @param limits             what one session may cost this node ({@link SessionLimits#defaults()})
 */
public record PeerConfig(String networkId, String listenHost, int listenPort, List<String> seeds, int maxConnections,
                         int targetConnections, Duration banDuration, int duplicateBudget,
                         int duplicateRefillPerSecond, LanDiscoveryConfig lan, SessionLimits limits) {

    /** As the canonical constructor, with the default {@link SessionLimits}. */
    public PeerConfig(String networkId, String listenHost, int listenPort, List<String> seeds, int maxConnections,
                      int targetConnections, Duration banDuration, int duplicateBudget, int duplicateRefillPerSecond,
                      LanDiscoveryConfig lan) {
        this(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration, duplicateBudget,
                duplicateRefillPerSecond, lan, SessionLimits.defaults());
    }

    public PeerConfig {
        seeds = List.copyOf(seeds);
        if (networkId == null || networkId.isBlank()) {
            throw new IllegalArgumentException("network id must not be empty");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port must be 0..65535, got " + listenPort);
        }
        if (maxConnections < 1 || targetConnections < 0 || targetConnections > maxConnections) {
            throw new IllegalArgumentException("need 0 <= targetConnections <= maxConnections, maxConnections >= 1");
        }
        for (String seed : seeds) {
            SeedAddress.parse(seed);
        }
        if (lan == null) {
            lan = LanDiscoveryConfig.off();
        }
        if (limits == null) {
            limits = SessionLimits.defaults();
        }
    }

    /**
     * LAN discovery: announce and listen on a UDP multicast group.
     *
     * @param enabled  off unless configured (it listens beyond loopback)
     * @param group    multicast group, default 239.255.70.74 (organisation-local scope)
     * @param port     UDP port, default 7401
     * @param interval between announcements
     */
    public record LanDiscoveryConfig(boolean enabled, String group, int port, Duration interval) {
        public static LanDiscoveryConfig off() {
            return new LanDiscoveryConfig(false, "239.255.70.74", 7401, Duration.ofSeconds(5));
        }

        public LanDiscoveryConfig on(int udpPort) {
            return new LanDiscoveryConfig(true, group, udpPort, interval);
        }
    }

    /** Loopback, a free port, no seeds, network {@code council-test}. */
    public static PeerConfig localDefaults() {
        return new PeerConfig("council-test", "127.0.0.1", 0, List.of(), 32, 8, Duration.ofMinutes(10), 10_000, 1_000,
                LanDiscoveryConfig.off());
    }

    public PeerConfig withSeeds(List<String> newSeeds) {
        return new PeerConfig(networkId, listenHost, listenPort, newSeeds, maxConnections, targetConnections,
                banDuration, duplicateBudget, duplicateRefillPerSecond, lan, limits);
    }

    public PeerConfig withLan(LanDiscoveryConfig newLan) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections,
                banDuration, duplicateBudget, duplicateRefillPerSecond, newLan, limits);
    }

    public PeerConfig withListenPort(int port) {
        return new PeerConfig(networkId, listenHost, port, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, limits);
    }

    public PeerConfig withLimits(SessionLimits newLimits) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, newLimits);
    }

    public PeerConfig withNetworkId(String id) {
        return new PeerConfig(id, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, limits);
    }
}
