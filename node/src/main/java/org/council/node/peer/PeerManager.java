package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.wire.WireMessage;

/**
 * The peer-to-peer layer as the node sees it: a verticle that wires the parts together and
 * offers their operations. The parts, each with one responsibility:
 * <ul>
 *   <li>{@link PeerTransport}: TLS listen and dial; inbound through {@link PeerAdmission} (bans, blocks), {@link HelloGate};</li>
 *   <li>{@link AddressBook} and {@link Dialler}: anchors, seeds, learned addresses bucketed by source,
 *       outbound slots, dialling with backoff; {@link LanDiscovery} feeds the book; {@link Anchors}
 *       keeps a few outbound peers across restarts;</li>
 *   <li>{@link SessionRegistry}: the sessions by node id and the duplicate-connection rule;
 *       {@link SessionLifecycle} admits a session after hello (with {@link InboundSlots}: per-address
 *       caps, eviction) and tells the protocols when it ends;</li>
 *   <li>protocols registered per message kind with the {@link ProtocolDispatcher}:
 *       {@link ReplicationProtocol}, {@link PeerExchangeProtocol}, {@link KeepAliveProtocol},
 *       {@link InferenceProtocol}, {@link ReachabilityProtocol} (dial-backs: {@link #reachability()}),
 *       {@link RelayProtocol} (relaying for others with {@link RelayService}, reserving and dialling
 *       through relays with {@link RelayClient}, circuit ends bridged to the TLS transport by
 *       {@link CircuitEnds}: {@link #relayStatus()}), {@link CapabilityGossip} ({@link #models()}).</li>
 * </ul>
 *
 * <p>Threading: every session and every part's mutable state is confined to this verticle's
 * context and asserted there. Other threads may call the public methods: the views
 * ({@link #connectedPeers()}, {@link #misbehaviourCounts()}, {@link #isBanned}) are immutable
 * snapshots or concurrent maps, and the commands hop onto the context.
 */
public final class PeerManager extends VerticleBase {

    private static final System.Logger LOG = System.getLogger(PeerManager.class.getName());
    private static final long BAN_PRUNE_INTERVAL_MS = 60_000;
    private static final long RELAY_TICK_MS = 1_000;

    private final NodeCertificate certificate;
    private final LedgerStore store;
    private final PeerConfig config;
    private final PeerAdmission admission;
    private final InferenceProtocol inference;
    private final Reachability reachability;
    private final ModelDirectory models;
    private final List<Consumer<List<IngestOutcome>>> ingestListeners = new CopyOnWriteArrayList<>();
    // Built on the context in start(); volatile because the views read them from any thread
    private volatile SessionRegistry sessions;
    private volatile PeerTransport transport;
    private volatile HelloGate gate;
    private volatile RelayService relayService;
    private volatile RelayClient relayClient;
    private volatile CircuitEnds circuitEnds;
    // Accessed by context thread
    private AddressBook addresses;
    private LanDiscovery lan;
    private Anchors anchors;
    private Dialler dialler;

    public PeerManager(NodeCertificate certificate, LedgerStore store, PeerConfig config) {
        this(certificate, store, config, new ModelDirectory(config.replication().models()));
    }

    /** With the capabilities gossip's directory of who serves which model ({@link CapabilityGossip}). */
    public PeerManager(NodeCertificate certificate, LedgerStore store, PeerConfig config, ModelDirectory models) {
        this.models = models;
        this.certificate = certificate;
        this.store = store;
        this.config = config;
        this.admission = new PeerAdmission(config.banDuration());
        this.inference = new InferenceProtocol(config.limits());
        this.reachability = new Reachability(config.listenHost());
    }

    @Override
    public Future<?> start() {
        Context ctx = context;
        NodeId self = certificate.id();
        addresses = new AddressBook(ctx, config.admission().dialPrivate());
        anchors = new Anchors(vertx, config.anchorsFile());
        config.seeds().forEach(s -> addresses.addSeed(SeedAddress.parse(s)));
        SessionRegistry registry = new SessionRegistry(ctx, self);
        InboundSlots inbound = new InboundSlots(ctx, config.inboundSlots(), config.admission());
        ReplicationProtocol replication = new ReplicationProtocol(ctx, store, config, this::ingested);
        KeepAliveProtocol keepAlive = new KeepAliveProtocol(registry);
        ReachabilityProtocol dialBack = new ReachabilityProtocol(ctx, reachability, this::listenPort, registry::size,
                (host, port) -> transport.connect(host, port));
        RelayClient relayClient = new RelayClient(ctx, self, config.relay(), reachability, registry, admission,
                config.targetConnections());
        RelayService relay = new RelayService(ctx, config.relay(),
                () -> reachability.status() == Reachability.Status.PRIVATE, registry::all);
        CircuitEnds ends = new CircuitEnds(ctx, vertx, (host, port) -> transport.connect(host, port),
                config.listenHost(), this::listenPort, relayClient::holds);
        CapabilityGossip gossip = new CapabilityGossip(ctx, models, System::currentTimeMillis);
        ProtocolDispatcher protocols = new ProtocolDispatcher(List.of(new UsefulWork(replication, inbound::useful),
                new PeerExchangeProtocol(addresses, relayClient::learned), keepAlive,
                new UsefulWork(inference, inbound::useful), dialBack, new RelayProtocol(relay, relayClient, ends),
                gossip));
        HelloGate g = new HelloGate(ctx, config.admission());
        replication.probation(g::onProbation);
        SessionLifecycle lifecycle = new SessionLifecycle(ctx, self, config, admission, registry, addresses, protocols,
                this::listenPort, g, inbound);
        PeerTransport t = new PeerTransport(vertx, certificate, config, admission, lifecycle, g);
        dialler = new Dialler(ctx, self, config, addresses, registry, admission, t, lifecycle, replication);
        relayClient.wire(lifecycle, ends);
        t.relayedVia(ends::relayedVia);
        relayService = relay;
        this.relayClient = relayClient;
        circuitEnds = ends;
        sessions = registry;
        transport = t;
        gate = g;
        store.keepFeeds(id -> registry.connectedPeers().containsKey(id)); // a connected peer's feed is not evicted
        store.onCommitted(events -> {
            if (!admission.isClosed()) {
                ctx.runOnContext(v -> replication.onCommitted(events));
                List<SignedEvent> caps = events.stream().filter(e -> e.kind() == EventKind.CAPABILITIES_ANNOUNCED).toList();
                if (!caps.isEmpty()) {
                    ctx.runOnContext(v -> caps.forEach(gossip::committed));
                }
            }
        });
        vertx.setPeriodic(CapabilityGossip.TICK_MS, id -> gossip.tick());
        vertx.setPeriodic(KeepAliveProtocol.PING_INTERVAL_MS, id -> keepAlive.tick());
        vertx.setPeriodic(BAN_PRUNE_INTERVAL_MS, id -> admission.pruneBans());
        vertx.setPeriodic(RELAY_TICK_MS, id -> {
            relay.tick();
            relayClient.tick();
        });
        return replication.start() // the replication scope, from the log: no session before it
                .onSuccess(v -> vertx.setPeriodic(Dialler.DIAL_INTERVAL_MS, id -> dialler.dialDue()))
                .compose(v -> anchors.load())
                .onSuccess(list -> list.forEach(addresses::addAnchor)) // dialled before seeds and learned ones
                .compose(v -> t.listen())
                .onSuccess(s -> LOG.log(System.Logger.Level.INFO,
                        "node " + self.shortHex() + " listening on " + config.listenHost() + ":" + s.actualPort()))
                // the first dial now, not a dial interval later: a starting node waits for its seeds
                .onSuccess(s -> dialler.dialDue())
                .compose(s -> {
                    if (!config.lan().enabled()) {
                        return Future.succeededFuture();
                    }
                    lan = new LanDiscovery(vertx, config.lan(), config.networkId(), self,
                            a -> addresses.learn(List.of(a), a.host(), true));
                    return lan.start(s.actualPort());
                });
    }

    @Override
    public Future<?> stop() {
        admission.close();
        List<String> keep = addresses.anchors(sessions.outboundPeers(), config.admission().anchors());
        for (PeerSession s : sessions.all()) {
            s.goodbye(WireMessage.Reason.SHUTTING_DOWN, "node stopping");
        }
        return Future.join(transport.close(), circuitEnds.stop(), lan == null ? Future.succeededFuture() : lan.stop(),
                anchors.save(keep));
    }

    /** The port this node listens on (the actual one when configured as 0). Any thread. */
    public int listenPort() {
        PeerTransport t = transport;
        return t == null ? 0 : t.listenPort();
    }

    /** Whether peers could dial this node back, and the address they saw. Any thread. */
    public Reachability reachability() {
        return reachability;
    }

    /** This node as a relay and as a user of relays (zeros before start). Any thread. */
    public RelayStatus relayStatus() {
        RelayService r = relayService;
        RelayClient c = relayClient;
        return r == null || c == null ? new RelayStatus(0, new long[5]) : new RelayStatus(c.held(), r.counters());
    }

    /** The peers whose session runs over a circuit through a relay. */
    public Future<java.util.Set<NodeId>> relayedPeers() {
        io.vertx.core.Promise<java.util.Set<NodeId>> p = io.vertx.core.Promise.promise();
        context.runOnContext(v -> p.complete(sessions.all().stream().filter(s -> s.relayed() && sessions.isRegistered(s))
                .map(PeerSession::remote).collect(java.util.stream.Collectors.toSet())));
        return p.future();
    }

    /**
     * Hands {@code tap} a copy of every circuit byte this node relays for others (on the peer
     * context; it must not block): lets an operator or a test see exactly what a relay sees.
     */
    public void tapRelayedBytes(Consumer<byte[]> tap) {
        context.runOnContext(v -> {
            if (relayService != null) {
                relayService.tap(tap);
            }
        });
    }

    /** Peers with an established session, and their remote host. An immutable snapshot; any thread. */
    public Map<NodeId, String> connectedPeers() {
        SessionRegistry r = sessions;
        return r == null ? Map.of() : r.connectedPeers();
    }

    /** How often each kind of misbehaviour led to a disconnect. An immutable snapshot; any thread. */
    public Map<String, Integer> misbehaviourCounts() {
        return admission.misbehaviourCounts();
    }

    /**
     * Registers a callback for the ledger's outcomes of every batch of events a peer sent
     * (accepted, rejected with its reason, fork detected). Called on the peer context: it must
     * return quickly and never block.
     */
    public void onIngestOutcomes(Consumer<List<IngestOutcome>> listener) {
        ingestListeners.add(listener);
    }

    private void ingested(List<IngestOutcome> outcomes) {
        for (Consumer<List<IngestOutcome>> l : ingestListeners) {
            l.accept(outcomes);
        }
    }

    /** Connections refused or ended by an admission rule, by cause (e.g. {@code hello_timeout}). Any thread. */
    public Map<String, Integer> admissionCounts() {
        return admission.refusalCounts();
    }

    /** Inbound connections now waiting for hello, and the most there ever were at once. Any thread. */
    public int[] pendingHellos() {
        HelloGate g = gate;
        return g == null ? new int[] {0, 0} : new int[] {g.pendingInbound(), g.highWater()};
    }

    /** Any thread. */
    public boolean isBanned(NodeId id) {
        return admission.isBanned(id);
    }

    /** Adds a peer address to dial (as a seed: kept and re-dialled with backoff). Any thread. */
    public void addPeer(String address) {
        SeedAddress a = SeedAddress.parse(address);
        context.runOnContext(v -> addresses.addSeed(a));
    }

    /** Drops the link to {@code peer} and refuses it until {@link #unblock}: a network partition, for tests and operators. */
    public void block(NodeId peer) {
        admission.block(peer);
        context.runOnContext(v -> sessions.find(peer).ifPresent(PeerSession::close));
    }

    /** Any thread. */
    public void unblock(NodeId peer) {
        admission.unblock(peer);
        context.runOnContext(v -> addresses.reset(peer));
    }

    /** Installs the remote-inference component; set before peers connect. Any thread. */
    public void setInferenceHandler(InferenceHandler handler) {
        inference.install(handler);
    }

    /** Who serves which model across the network, as the capabilities gossip learned it. Any thread. */
    public ModelDirectory models() {
        return models;
    }

    /** Adds addresses to dial, as learned ones (bucketed under {@code source}); e.g. a model's servers. Any thread. */
    public void learnAddresses(List<WireMessage.PeerAddress> found, String source) {
        context.runOnContext(v -> {
            addresses.learn(found, source, false);
            dialler.dialDue(); // now, not a dial interval later: a request is waiting
        });
    }

    /** The context all sessions run on; inference components run their session work here. */
    public Context peerContext() {
        return context;
    }

    /**
     * The live session with {@code peer}. Any thread may look it up (an immutable snapshot); send
     * on it from {@link #peerContext()} only.
     */
    public Optional<PeerLink> link(NodeId peer) {
        SessionRegistry r = sessions;
        return r == null ? Optional.empty() : r.link(peer);
    }
}
