package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;

import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeId;
import org.council.crypto.NodeTls;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerStore;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.WireMessage;

/**
 * Accepts and dials TLS connections, keeps the sessions, dials seeds and learned peers with
 * backoff and jitter, caps connections, bans misbehaving peers, and fans newly committed events
 * out to every session. Runs as a verticle: all its state is confined to its context, except the
 * read-only views ({@link #connectedPeers()}) which are thread-safe.
 */
public final class PeerManager extends VerticleBase {

    private static final System.Logger LOG = System.getLogger(PeerManager.class.getName());
    private static final int MAX_KNOWN = 1_000;
    private static final int MAX_SHARED = 32;
    private static final long DIAL_INTERVAL_MS = 250;
    private static final long PING_INTERVAL_MS = 15_000;
    private static final long IDLE_LIMIT_NANOS = 60_000_000_000L;

    private final NodeCertificate certificate;
    private final LedgerStore store;
    private final PeerConfig config;
    private final Map<NodeId, PeerSession> sessions = new HashMap<>();
    private final Map<String, KnownPeer> known = new HashMap<>();
    private final Map<NodeId, Long> bannedUntil = new ConcurrentHashMap<>();
    private final Set<NodeId> blocked = ConcurrentHashMap.newKeySet();
    private final Map<NodeId, String> connectedView = new ConcurrentHashMap<>();
    private final Map<String, Integer> misbehaviourCounts = new ConcurrentHashMap<>();
    private final List<Consumer<List<IngestOutcome>>> ingestListeners = new CopyOnWriteArrayList<>();
    private NetServer server;
    private LanDiscovery lan;
    private NetClient client;
    private int dialsInFlight;
    private volatile boolean stopped;
    private volatile InferenceHandler inference;

    /** A peer address this node may dial. */
    private static final class KnownPeer {
        final String host;
        final int port;
        final boolean seed;
        NodeId id;
        int failures;
        long nextAttemptMs;
        boolean dialling;

        KnownPeer(String host, int port, NodeId id, boolean seed) {
            this.host = host;
            this.port = port;
            this.id = id;
            this.seed = seed;
        }
    }

    public PeerManager(NodeCertificate certificate, LedgerStore store, PeerConfig config) {
        this.certificate = certificate;
        this.store = store;
        this.config = config;
    }

    @Override
    public Future<?> start() {
        for (String s : config.seeds()) {
            SeedAddress a = SeedAddress.parse(s);
            known.put(a.hostPort(), new KnownPeer(a.host(), a.port(), a.expectedId(), true));
        }
        KeyCertOptions keys = KeyCertOptions.wrap(NodeTls.keyManager(certificate));
        TrustOptions trust = TrustOptions.wrap(NodeTls.trustManager());
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(config.listenHost()).setPort(config.listenPort())
                .setSsl(true).setKeyCertOptions(keys).setTrustOptions(trust)
                .setClientAuth(ClientAuth.REQUIRED)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3")));
        server.connectHandler(this::accepted);
        client = vertx.createNetClient(new NetClientOptions()
                .setSsl(true).setKeyCertOptions(keys).setTrustOptions(trust)
                .setHostnameVerificationAlgorithm("")
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setConnectTimeout(5_000));
        Context ctx = context;
        store.onCommitted(events -> {
            if (!stopped) {
                ctx.runOnContext(v -> fanOut(events));
            }
        });
        vertx.setPeriodic(DIAL_INTERVAL_MS, id -> dialDue());
        vertx.setPeriodic(PING_INTERVAL_MS, id -> keepAlive());
        return server.listen()
                .onSuccess(s -> LOG.log(System.Logger.Level.INFO,
                        "node " + self().shortHex() + " listening on " + config.listenHost() + ":" + s.actualPort()))
                .compose(s -> {
                    if (!config.lan().enabled()) {
                        return Future.succeededFuture();
                    }
                    lan = new LanDiscovery(vertx, config.lan(), config.networkId(), self(), a -> learn(List.of(a)));
                    return lan.start(s.actualPort());
                });
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        for (PeerSession s : new ArrayList<>(sessions.values())) {
            s.goodbye(WireMessage.Reason.SHUTTING_DOWN, "node stopping");
        }
        return Future.join(server.close(), client.close(), lan == null ? Future.succeededFuture() : lan.stop());
    }

    NodeId self() {
        return certificate.id();
    }

    LedgerStore store() {
        return store;
    }

    PeerConfig peerConfig() {
        return config;
    }

    /** The port this node listens on (the actual one when configured as 0). */
    public int listenPort() {
        return server == null ? 0 : server.actualPort();
    }

    /** Peers with an established session, and their remote host. Thread-safe snapshot. */
    public Map<NodeId, String> connectedPeers() {
        return Map.copyOf(connectedView);
    }

    /** How often each kind of misbehaviour led to a disconnect. Thread-safe snapshot. */
    public Map<String, Integer> misbehaviourCounts() {
        return Map.copyOf(misbehaviourCounts);
    }

    /**
     * Registers a callback for the ledger's outcomes of every batch of events a peer sent
     * (accepted, rejected with its reason, fork detected). Called on the peer context: it must
     * return quickly and never block.
     */
    public void onIngestOutcomes(Consumer<List<IngestOutcome>> listener) {
        ingestListeners.add(listener);
    }

    void ingested(List<IngestOutcome> outcomes) {
        for (Consumer<List<IngestOutcome>> l : ingestListeners) {
            l.accept(outcomes);
        }
    }

    public boolean isBanned(NodeId id) {
        Long until = bannedUntil.get(id);
        return until != null && until > System.currentTimeMillis();
    }

    /** Adds a peer address to dial (as a seed: kept and re-dialled with backoff). */
    public void addPeer(String address) {
        SeedAddress a = SeedAddress.parse(address);
        context.runOnContext(v -> known.merge(a.hostPort(), new KnownPeer(a.host(), a.port(), a.expectedId(), true),
                (old, neu) -> {
                    old.nextAttemptMs = 0;
                    return old;
                }));
    }

    /** Drops the link to {@code peer} and refuses it until {@link #unblock}: a network partition, for tests and operators. */
    public void block(NodeId peer) {
        blocked.add(peer);
        context.runOnContext(v -> {
            PeerSession s = sessions.get(peer);
            if (s != null) {
                s.close();
            }
        });
    }

    public void unblock(NodeId peer) {
        blocked.remove(peer);
        context.runOnContext(v -> known.values().stream().filter(k -> peer.equals(k.id)).forEach(k -> {
            k.failures = 0;
            k.nextAttemptMs = 0;
        }));
    }

    private void accepted(NetSocket socket) {
        NodeId remote = provenId(socket);
        if (remote == null) {
            LOG.log(System.Logger.Level.WARNING, "refused a connection from " + socket.remoteAddress()
                    + ": no single Ed25519 certificate proven");
            socket.close();
            return;
        }
        if (stopped || isBanned(remote) || blocked.contains(remote)) {
            refuse(socket, WireMessage.Reason.BANNED, "refused");
            return;
        }
        if (sessions.size() >= config.maxConnections()) {
            refuse(socket, WireMessage.Reason.TOO_MANY_PEERS, "this node is at its connection limit");
            return;
        }
        new PeerSession(this, socket, context, remote, false).start();
    }

    private void refuse(NetSocket socket, WireMessage.Reason reason, String detail) {
        socket.write(org.council.node.wire.FrameCodec.encode(new WireMessage.Goodbye(reason, detail)));
        socket.close();
    }

    private static NodeId provenId(NetSocket socket) {
        try {
            var certs = socket.peerCertificates();
            return certs == null || certs.size() != 1 ? null : NodeCertificate.nodeIdOf(certs.get(0));
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private void dialDue() {
        if (stopped) {
            return;
        }
        long now = System.currentTimeMillis();
        for (KnownPeer k : known.values()) {
            if (sessions.size() + dialsInFlight >= config.targetConnections() || dialsInFlight >= 4) {
                return;
            }
            if (k.dialling || k.nextAttemptMs > now || (k.id != null && (sessions.containsKey(k.id)
                    || k.id.equals(self()) || blocked.contains(k.id) || isBanned(k.id)))) {
                continue;
            }
            dial(k);
        }
    }

    private void dial(KnownPeer k) {
        k.dialling = true;
        dialsInFlight++;
        client.connect(k.port, k.host).onComplete(ar -> {
            k.dialling = false;
            dialsInFlight--;
            if (ar.failed()) {
                backOff(k);
                return;
            }
            NetSocket socket = ar.result();
            NodeId remote = provenId(socket);
            if (remote == null || (k.id != null && !k.id.equals(remote))) {
                LOG.log(System.Logger.Level.WARNING, "peer at " + k.host + ":" + k.port + " proved key "
                        + (remote == null ? "none" : remote.hex()) + " but " + k.id + " was expected; refused");
                refuse(socket, WireMessage.Reason.WRONG_IDENTITY, "expected " + k.id);
                misbehaviourCounts.merge(WireMessage.Reason.WRONG_IDENTITY.name(), 1, Integer::sum);
                backOff(k);
                return;
            }
            k.id = remote;
            if (remote.equals(self()) || sessions.containsKey(remote) || blocked.contains(remote) || isBanned(remote)) {
                socket.close();
                backOff(k);
                return;
            }
            k.failures = 0;
            new PeerSession(this, socket, context, remote, true).start();
        });
    }

    private void backOff(KnownPeer k) {
        k.failures = Math.min(k.failures + 1, 16);
        long base = Math.min(60_000L, 500L << Math.min(k.failures, 7));
        long jitter = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        k.nextAttemptMs = System.currentTimeMillis() + jitter;
    }

    /** A session said hello; false when it must not go on (the session has been told why). */
    boolean register(PeerSession s) {
        NodeId remote = s.remote();
        if (remote.equals(self())) {
            s.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "connected to itself");
            return false;
        }
        if (stopped || isBanned(remote) || blocked.contains(remote)) {
            s.goodbye(WireMessage.Reason.BANNED, "refused");
            return false;
        }
        PeerSession existing = sessions.get(remote);
        if (existing != null && !existing.isClosed()) {
            // Both ends keep the connection opened by the smaller node id, so they agree.
            NodeId keepInitiator = self().compareTo(remote) < 0 ? self() : remote;
            if (s.initiator().equals(keepInitiator) && !existing.initiator().equals(keepInitiator)) {
                existing.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "keeping the other connection");
            } else {
                s.goodbye(WireMessage.Reason.DUPLICATE_CONNECTION, "already connected");
                return false;
            }
        }
        sessions.put(remote, s);
        connectedView.put(remote, s.remoteHost());
        if (s.remoteListenPort() > 0) {
            String hp = s.remoteHost() + ":" + s.remoteListenPort();
            known.computeIfAbsent(hp, x -> new KnownPeer(s.remoteHost(), s.remoteListenPort(), remote, false)).id = remote;
        }
        LOG.log(System.Logger.Level.DEBUG, "session with " + remote.shortHex() + " (" + (s.outbound() ? "out" : "in") + ")");
        return true;
    }

    /** Installs the remote-inference component; set before peers connect. */
    public void setInferenceHandler(InferenceHandler handler) {
        this.inference = handler;
    }

    /** The context all sessions run on; inference components run their session work here. */
    public Context peerContext() {
        return context;
    }

    /** The live session with {@code peer}; call on {@link #peerContext()}. */
    public java.util.Optional<PeerLink> link(NodeId peer) {
        PeerSession s = sessions.get(peer);
        return s == null || !s.ready() ? java.util.Optional.empty() : java.util.Optional.of(s);
    }

    void inferenceMessage(PeerSession s, WireMessage m) {
        InferenceHandler h = inference;
        if (h == null) {
            if (m instanceof WireMessage.InferenceRequest) {
                s.send(new WireMessage.InferenceError(new byte[0], InferenceErrorCode.REFUSED, "this node serves no inference", 0));
            }
            return;
        }
        h.onMessage(s, m);
    }

    void closed(PeerSession s) {
        InferenceHandler h = inference;
        if (h != null && sessions.get(s.remote()) == s) {
            h.onClosed(s.remote());
        }
        if (sessions.remove(s.remote(), s)) {
            connectedView.remove(s.remote());
            known.values().stream().filter(k -> s.remote().equals(k.id)).forEach(this::backOff);
        }
    }

    void recordMisbehaviour(NodeId peer, WireMessage.Reason reason, boolean ban) {
        misbehaviourCounts.merge(reason.name(), 1, Integer::sum);
        if (ban) {
            bannedUntil.put(peer, System.currentTimeMillis() + config.banDuration().toMillis());
        }
    }

    /** Peer exchange: remember addresses others told us about (bounded). */
    void learn(List<WireMessage.PeerAddress> peers) {
        for (WireMessage.PeerAddress p : peers) {
            if (known.size() >= MAX_KNOWN) {
                return;
            }
            if (p.port() < 1 || p.port() > 65535 || p.host().isBlank() || p.nodeId().equals(self())) {
                continue;
            }
            known.putIfAbsent(p.host() + ":" + p.port(), new KnownPeer(p.host(), p.port(), p.nodeId(), false));
        }
    }

    /** Addresses of connected peers that accept connections, for peer exchange. */
    List<WireMessage.PeerAddress> shareablePeers(NodeId except) {
        List<WireMessage.PeerAddress> out = new ArrayList<>();
        for (PeerSession s : sessions.values()) {
            if (!s.remote().equals(except) && s.remoteListenPort() > 0 && out.size() < MAX_SHARED) {
                out.add(new WireMessage.PeerAddress(s.remote(), s.remoteHost(), s.remoteListenPort()));
            }
        }
        return out;
    }

    private void fanOut(List<SignedEvent> events) {
        for (PeerSession s : sessions.values()) {
            if (s.ready()) {
                s.sync().onCommitted(events);
            }
        }
    }

    private void keepAlive() {
        long now = System.nanoTime();
        for (PeerSession s : new ArrayList<>(sessions.values())) {
            if (now - s.lastHeardNanos() > IDLE_LIMIT_NANOS) {
                s.goodbye(WireMessage.Reason.UNSPECIFIED, "no message for 60 s");
            } else {
                s.ping();
            }
        }
    }

}
