package org.council.node.peer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.scope.ScopeConfig;
import org.council.node.readmodel.ModelDirectory;

/**
 * How a node meets peers.
 *
 * @param networkId          peers of another network are refused at hello ("council-main", "council-test", ...)
 * @param listenHost         address to accept connections on; loopback unless configured
 * @param listenPort         TCP port; 0 picks a free one
 * @param seeds              peers to dial and keep dialling: {@code host:port} or {@code <node id hex>@host:port}
 * @param maxConnections     cap on sessions, inbound and outbound together: inbound peers get
 *                           {@code maxConnections - targetConnections} slots
 * @param targetConnections  outbound slots: the dialler keeps this many sessions it opened itself,
 *                           whatever connects inbound (seeds and anchors are dialled beyond it)
 * @param banDuration        how long a misbehaving peer is refused
 * @param duplicateBudget    duplicate events a peer may send before it is flooding (token bucket size)
 * @param duplicateRefillPerSecond refill rate of that bucket
 * @param lan                optional LAN discovery over UDP multicast; off by default
 * @param admission          who may connect and how many: hello deadline, pre-hello and per-address caps
 * @param anchorsFile        where a few good outbound peers are kept across restarts; null: nowhere
 * @param limits             what one session may cost this node ({@link SessionLimits#defaults()})
 * @param replication        which feeds this node replicates: all of them, or its scope ({@link Replication})
 * @param relay              relaying for others, and relays kept when not dialable ({@link RelayConfig#defaults()})
 */
public record PeerConfig(String networkId, String listenHost, int listenPort, List<String> seeds, int maxConnections,
                         int targetConnections, Duration banDuration, int duplicateBudget,
                         int duplicateRefillPerSecond, LanDiscoveryConfig lan, Admission admission, Path anchorsFile,
                         SessionLimits limits, Replication replication, RelayConfig relay) {

    /** Full replication ({@link Replication#full()}) and the default relay settings. */
    public PeerConfig(String networkId, String listenHost, int listenPort, List<String> seeds, int maxConnections,
                      int targetConnections, Duration banDuration, int duplicateBudget, int duplicateRefillPerSecond,
                      LanDiscoveryConfig lan, Admission admission, Path anchorsFile, SessionLimits limits) {
        this(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration, duplicateBudget,
                duplicateRefillPerSecond, lan, admission, anchorsFile, limits, Replication.full(), null);
    }

    /** The production admission limits ({@link Admission#defaults()}) and no anchors file. */
    public PeerConfig(String networkId, String listenHost, int listenPort, List<String> seeds, int maxConnections,
                      int targetConnections, Duration banDuration, int duplicateBudget, int duplicateRefillPerSecond,
                      LanDiscoveryConfig lan) {
        this(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration, duplicateBudget,
                duplicateRefillPerSecond, lan, Admission.defaults(), null, SessionLimits.defaults());
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
        if (admission == null) {
            admission = Admission.defaults();
        }
        if (limits == null) {
            limits = SessionLimits.defaults();
        }
        if (replication == null) {
            replication = Replication.full();
        }
        if (relay == null) {
            relay = RelayConfig.defaults();
        }
    }

    /** Inbound session slots: what the outbound slots leave of the connection cap. */
    public int inboundSlots() {
        return maxConnections - targetConnections;
    }

    /**
     * Admission and eclipse resistance (docs/threat-model.md has why each default is what it is).
     *
     * @param helloTimeout          a connection that has not said hello by then is closed
     * @param maxPending            inbound connections accepted but not yet past hello (TLS included), in total
     * @param maxPendingPerAddress  the same, per remote host (IPv4 address or IPv6 /64)
     * @param maxInboundPerAddress  inbound sessions per remote host
     * @param maxInboundPerNetgroup inbound sessions per netgroup (IPv4 /16, IPv6 /32)
     * @param dialPrivate           whether loopback and private addresses learned from peers are dialled
     * @param anchors               outbound peers saved at stop and dialled first at the next start
     * @param handshakeBurst        TLS handshakes one remote host may start at once before it is rate-limited
     *                              (a token bucket per host, checked before TLS: {@link HelloGate})
     * @param handshakesPerMinute   refill of that bucket
     * @param banHandshakeCost      tokens a ban of an identity takes from its host's bucket: fresh keys
     *                              are free, so the host, not the key, pays for each ban
     * @param banProbation          after a ban of one of its identities, the host's sessions are served
     *                              no history (catch-up or pushes) for this long: a fresh identity per
     *                              round would otherwise be served the whole ledger each round; zero: never
     * @param hostBudgets           whether the sessions of one host share their unpaid and new-feed budgets
     *                              ({@link HostBudgets}) and repeats; off where every node shares one address (local)
     * @param repeatsPerSecond      with hostBudgets: events a second one host's sessions are served of what
     *                              another of its sessions holds ({@link HostRepeats}), 8 s of it at once
     */
    public record Admission(Duration helloTimeout, int maxPending, int maxPendingPerAddress, int maxInboundPerAddress,
                            int maxInboundPerNetgroup, boolean dialPrivate, int anchors, int handshakeBurst,
                            int handshakesPerMinute, int banHandshakeCost, Duration banProbation,
                            boolean hostBudgets, int repeatsPerSecond) {

        /** Production's ban probation: longer than the handshake debt a ban leaves (8 tokens at 60/min). */
        static final Duration DEFAULT_BAN_PROBATION = Duration.ofSeconds(60);

        public Admission {
            if (helloTimeout.isNegative() || helloTimeout.isZero() || maxPending < 1 || maxPendingPerAddress < 1
                    || maxInboundPerAddress < 1 || maxInboundPerNetgroup < 1 || anchors < 0 || handshakeBurst < 1
                    || handshakesPerMinute < 1 || banHandshakeCost < 0 || banProbation.isNegative() || repeatsPerSecond < 1) {
                throw new IllegalArgumentException("admission limits must be positive: " + this);
            }
        }

        /** The default ban probation (60 s) and host budgets of {@link #defaults()}. */
        public Admission(Duration helloTimeout, int maxPending, int maxPendingPerAddress, int maxInboundPerAddress,
                         int maxInboundPerNetgroup, boolean dialPrivate, int anchors, int handshakeBurst,
                         int handshakesPerMinute, int banHandshakeCost) {
            this(helloTimeout, maxPending, maxPendingPerAddress, maxInboundPerAddress, maxInboundPerNetgroup, dialPrivate,
                    anchors, handshakeBurst, handshakesPerMinute, banHandshakeCost, DEFAULT_BAN_PROBATION, true, HostRepeats.DEFAULT_PER_SECOND);
        }

        /** The default handshake rate per host ({@link #defaults()}). */
        public Admission(Duration helloTimeout, int maxPending, int maxPendingPerAddress, int maxInboundPerAddress,
                         int maxInboundPerNetgroup, boolean dialPrivate, int anchors) {
            this(helloTimeout, maxPending, maxPendingPerAddress, maxInboundPerAddress, maxInboundPerNetgroup, dialPrivate,
                    anchors, 16, 60, 8);
        }

        /** Production: strict per-address caps, learned private addresses not dialled. */
        public static Admission defaults() {
            return new Admission(Duration.ofSeconds(10), 64, 8, 4, 8, false, 2, 16, 60, 8, DEFAULT_BAN_PROBATION, true, HostRepeats.DEFAULT_PER_SECOND);
        }

        /**
         * Single-machine networks (tests, the demo): every node shares 127.0.0.1, so the per-address
         * caps are relaxed to the connection cap (the handshake rate per host to no limit) and loopback
         * addresses learned from peers are dialled.
         */
        public static Admission local(int maxConnections) {
            return new Admission(Duration.ofSeconds(10), 64, 64, maxConnections, maxConnections, true, 2, 1_000_000,
                    1_000_000, 0, Duration.ZERO, false, HostRepeats.DEFAULT_PER_SECOND);
        }

        public Admission withHelloTimeout(Duration timeout) {
            return new Admission(timeout, maxPending, maxPendingPerAddress, maxInboundPerAddress, maxInboundPerNetgroup,
                    dialPrivate, anchors, handshakeBurst, handshakesPerMinute, banHandshakeCost, banProbation,
                    hostBudgets, repeatsPerSecond);
        }

        public Admission withHandshakeRate(int burst, int perMinute, int banCost) {
            return new Admission(helloTimeout, maxPending, maxPendingPerAddress, maxInboundPerAddress,
                    maxInboundPerNetgroup, dialPrivate, anchors, burst, perMinute, banCost, banProbation, hostBudgets, repeatsPerSecond);
        }

        public Admission withBanProbation(Duration probation) {
            return new Admission(helloTimeout, maxPending, maxPendingPerAddress, maxInboundPerAddress,
                    maxInboundPerNetgroup, dialPrivate, anchors, handshakeBurst, handshakesPerMinute, banHandshakeCost,
                    probation, hostBudgets, repeatsPerSecond);
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
                LanDiscoveryConfig.off(), Admission.local(32), null, SessionLimits.defaults());
    }

    public PeerConfig withSeeds(List<String> newSeeds) {
        return new PeerConfig(networkId, listenHost, listenPort, newSeeds, maxConnections, targetConnections,
                banDuration, duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, limits, replication,
                relay);
    }

    public PeerConfig withLan(LanDiscoveryConfig newLan) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections,
                banDuration, duplicateBudget, duplicateRefillPerSecond, newLan, admission, anchorsFile, limits, replication,
                relay);
    }

    public PeerConfig withListenPort(int port) {
        return new PeerConfig(networkId, listenHost, port, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, limits, replication, relay);
    }

    public PeerConfig withNetworkId(String id) {
        return new PeerConfig(id, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, limits, replication, relay);
    }

    public PeerConfig withAdmission(Admission newAdmission) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, newAdmission, anchorsFile, limits, replication, relay);
    }

    public PeerConfig withConnections(int max, int outbound) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, max, outbound, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, limits, replication, relay);
    }

    public PeerConfig withAnchorsFile(Path file) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, file, limits, replication, relay);
    }

    public PeerConfig withLimits(SessionLimits newLimits) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, newLimits, replication, relay);
    }

    public PeerConfig withRelay(RelayConfig newRelay) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, limits, replication, newRelay);
    }

    public PeerConfig withReplication(Replication newReplication) {
        return new PeerConfig(networkId, listenHost, listenPort, seeds, maxConnections, targetConnections, banDuration,
                duplicateBudget, duplicateRefillPerSecond, lan, admission, anchorsFile, limits, newReplication, relay);
    }

    /**
     * Which feeds this node stores and replicates (docs/protocol.md, "Replication scope").
     *
     * @param scoped  false: every feed any peer has (full replication, the default until models are
     *                discoverable beyond a node's scope); true: only its scope
     * @param scope   hops and the most feeds in scope ({@code replication.scope.hops},
     *                {@code replication.scope.max.feeds})
     * @param trusted the operator's trusted peers, always in scope
     * @param models  bounds of the capabilities gossip's directory, which lets models be found beyond
     *                the scope ({@code models.directory.max.authors})
     * @param dials   with scope: how fast the dialler reconnects to scope neighbours no session covers
     *                ({@link ScopeDials.Limits#defaults()})
     */
    public record Replication(boolean scoped, ScopeConfig scope, Set<NodeId> trusted, ModelDirectory.Limits models,
                              ScopeDials.Limits dials) {
        public Replication {
            trusted = Set.copyOf(trusted);
            if (scope == null) {
                scope = ScopeConfig.defaults();
            }
            if (models == null) {
                models = ModelDirectory.Limits.defaults();
            }
            if (dials == null) {
                dials = ScopeDials.Limits.defaults();
            }
        }

        public Replication(boolean scoped, ScopeConfig scope, Set<NodeId> trusted) {
            this(scoped, scope, trusted, null, null);
        }

        public Replication withModels(ModelDirectory.Limits limits) {
            return new Replication(scoped, scope, trusted, limits, dials);
        }

        public Replication withDials(ScopeDials.Limits limits) {
            return new Replication(scoped, scope, trusted, models, limits);
        }

        public static Replication full() {
            return new Replication(false, ScopeConfig.defaults(), Set.of());
        }

        public static Replication scoped(ScopeConfig scope, Set<NodeId> trusted) {
            return new Replication(true, scope, trusted);
        }
    }
}
