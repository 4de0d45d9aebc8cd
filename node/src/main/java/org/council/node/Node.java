package org.council.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.council.api.http.ApiServer;
import org.council.api.http.NodeApi;
import org.council.api.ollama.OllamaApi;
import org.council.crypto.ApiToken;
import org.council.bridge.InferenceBridge;
import org.council.bridge.ModelInfo;
import org.council.bridge.QueueState;
import org.council.bridge.RequesterId;
import org.council.bridge.scheduler.ScheduledInferenceBridge;
import org.council.crypto.KeyFiles;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.reputation.KarmaConfig;
import org.council.ledger.reputation.KarmaEngine;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.node.inference.InferenceService;
import org.council.node.inference.ModelCatalog;
import org.council.node.council.CouncilService;
import org.council.node.metrics.NodeMetrics;
import org.council.node.readmodel.CapabilityDirectory;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.routing.NetworkChat;
import org.council.node.peer.PeerManager;

/**
 * The composition root: builds and owns the node's key, ledger, karma, model backends and
 * scheduler, Vert.x instance, peer manager and remote inference, wires them through
 * constructors, and starts and stops them in order. {@link #stop} releases every thread and
 * native handle. Start and stop block: call them from any thread but a Vert.x event loop.
 */
public final class Node {

    private static final System.Logger LOG = System.getLogger(Node.class.getName());
    private static final long MODEL_REFRESH_MS = 60_000;
    /** Event loops of the node's Vert.x, and instances of the Ollama-compatible endpoint (one per loop). */
    private static final int EVENT_LOOPS = 2;
    /** How long own appends wait at start for a first peer's clocks (then the node signs from its local head). */
    static final long OWN_FEED_STARTUP_WAIT_MS = 15_000;
    /** From this many events, the start-up scan leaves enough garbage to collect at once (see start). */
    private static final long LARGE_LOG_EVENTS = 100_000;
    /** The software version reported to peers and the API. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final NodeConfig config;
    private final NodeKeyPair keys;
    private final LedgerStore store;
    private final Vertx vertx;
    private final ExecutorService karmaExecutor;
    private final KarmaEngine karma;
    private final InferenceBridge bridge;
    private final ModelCatalog catalog = new ModelCatalog();
    private final CapabilityDirectory capabilities;
    private final ModelDirectory models;
    private volatile long lastAnnounced; // one announcement per restart at most, when the directory holds none of ours
    private final PeerManager peers;
    private final ApiToken token;
    private final NodeMetrics metrics = new NodeMetrics();
    private InferenceService inference;
    private CouncilService council;
    private ApiServer api;
    private ApiServer ollama;

    private Node(NodeConfig config, NodeKeyPair keys, LedgerStore store, Vertx vertx) {
        this.config = config;
        this.keys = keys;
        this.store = store;
        this.vertx = vertx;
        this.karmaExecutor = Executors.newSingleThreadExecutor(r -> Blocking.daemon(r, "karma"));
        // One pass over the log at start feeds both read models: a long-lived node holds millions of events.
        this.capabilities = CapabilityDirectory.followingCommits(store);
        this.models = new ModelDirectory(config.peers().replication().models());
        this.karma = KarmaEngine.start(store, KarmaConfig.defaults(), config.inference().trusted(), karmaExecutor,
                e -> {
                    capabilities.observe(e);
                    models.offer(e, System.currentTimeMillis()); // stored: verified; gossiped from here on
                });
        // a full model slot never gives up a server with positive karma here for a stranger (ModelDirectory.keep)
        this.models.keep(id -> karma.karma(id) > 0);
        this.bridge = new ScheduledInferenceBridge(Backends.build(vertx, config.inference()), this::weight,
                config.inference().scheduler(), System::nanoTime, metrics.scheduler());
        this.peers = new PeerManager(NodeCertificate.create(keys), store,
                config.peers().withAnchorsFile(config.files().anchorsFile()), models);
        this.token = ApiToken.loadOrCreate(config.tokenFile());
        metrics.bind(store, peers, bridge);
    }

    /**
     * Opens the data directory (creating key and ledger on first use), starts the backends and
     * networking, and announces this node's capabilities; returns once it listens (phases timed in the log).
     * @throws NodeException when the node cannot start (everything opened so far is closed again)
     */
    public static Node start(NodeConfig config) {
        long t0 = System.nanoTime();
        NodeKeyPair keys = KeyFiles.loadOrCreate(config.keyFile());
        LedgerStore store = RocksLedgerStore.open(config.ledgerDir(), keys, config.ledger());
        long opened = System.nanoTime();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(4));
        Node node = null;
        try {
            node = new Node(config, keys, store, vertx);
            long scanned = System.nanoTime();
            if (!config.peers().seeds().isEmpty()) {
                // sign nothing (the capabilities announcement included) before a peer told us how far
                // our own feed goes: a restored data dir would fork it (docs/protocol.md, "Replication")
                store.holdOwnAppends(Long.getLong("council.ownfeed.startupWaitMs", OWN_FEED_STARTUP_WAIT_MS));
            }
            Blocking.await(node.vertx.deployVerticle(node.peers), "start networking");
            node.inference = new InferenceService(keys, store, node.bridge, node.catalog, node.peers,
                    node.capabilities, System::currentTimeMillis);
            node.peers.setInferenceHandler(node.inference);
            // councils get their own context: their stages and timers never queue behind the peer sessions
            node.council = new CouncilService(keys.id(), store, node.bridge, node.catalog, node.inference.client(),
                    node.capabilities, node.karma, node.peers, vertx.getOrCreateContext());
            node.refreshModels();
            Node started = node;
            ApiPorts ports = new ApiPorts(node);
            NodeApi routes = new NodeApi(store, node.karma, ports, ports, node.token, node.metrics::scrape);
            node.api = new ApiServer(v -> routes.router(v, config.api().host()), config.api().host(),
                    config.api().port());
            Blocking.await(vertx.deployVerticle(node.api), "start the JSON API on " + config.api().host() + ":"
                    + config.api().port());
            NetworkChat chat = new NetworkChat(node.bridge, node.catalog, node.capabilities, node.peers, node.karma,
                    node.inference.client(), node.council);
            OllamaApi ollamaApi = new OllamaApi(chat, VERSION, config.api().ollamaAccess());
            // one instance per event loop, on one port: streams are spread over the loops instead of
            // all writing (and calling their backends) from a single thread
            for (int i = 0; i < EVENT_LOOPS; i++) {
                ApiServer instance = ApiServer.sharing(ollamaApi::router, config.api().ollamaHost(),
                        config.api().ollamaPort());
                node.ollama = node.ollama == null ? instance : node.ollama;
                Blocking.await(vertx.deployVerticle(instance), "start the Ollama-compatible endpoint on "
                        + config.api().ollamaHost() + ":" + config.api().ollamaPort());
            }
            // models come and go (ollama pull / rm): announce changes, checked once a minute
            vertx.setPeriodic(MODEL_REFRESH_MS, id -> started.bridge.models()
                    .onSuccess(models -> started.announce(models).exceptionally(e -> {
                        LOG.log(System.Logger.Level.WARNING, "could not announce this node's models", e);
                        return null;
                    }))
                    .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "could not list models: " + e.getMessage())));
            if (store.eventCount() >= LARGE_LOG_EVENTS) {
                // The start-up scan's receipt halves (~110 MB at a million events) are garbage now, in
                // the old generation: one full collection while the node is still idle returns them to
                // the OS at once (-XX:MaxHeapFreeRatio) instead of over G1's next mixed collections.
                System.gc();
            }
            String rocks = store instanceof RocksLedgerStore r ? "; RocksDB memory in bytes: " + r.memoryUsage() : "";
            LOG.log(System.Logger.Level.INFO, String.format("started in %d ms: ledger opened in %d ms, %,d events scanned"
                    + " into the read models in %d ms%s", (System.nanoTime() - t0) / 1_000_000, (opened - t0) / 1_000_000,
                    store.eventCount(), (scanned - opened) / 1_000_000, rocks));
            return node;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "node failed to start", e);
            if (node != null) {
                node.stop();
            } else {
                Blocking.closeQuietly(vertx, store);
            }
            throw e instanceof NodeException ne ? ne : new NodeException("node failed to start: " + e, e);
        }
    }

    /**
     * The scheduler weight of a requester: this node's user first, peers by their karma here, lowered
     * by the claims they left unpaid ({@link org.council.node.inference.UnpaidDebt}; the floor still serves them).
     */
    private double weight(RequesterId requester) {
        if (requester.isLocal()) {
            return Double.MAX_VALUE;
        }
        try {
            NodeId id = NodeId.fromHex(requester.value());
            InferenceService serving = inference; // set at start, before any peer request is served
            return serving == null ? karma.karma(id) : serving.debt().weigh(karma.karma(id), id);
        } catch (IllegalArgumentException notANodeId) {
            return 0;
        }
    }

    /** Re-reads the backends' models and announces them when they changed. Blocking. */
    public void refreshModels() {
        announce(Blocking.await(bridge.models(), "list the backends' models")).join();
    }

    /** Appends a capabilities announcement when the models, concurrency or address changed. */
    private java.util.concurrent.CompletableFuture<?> announce(List<ModelInfo> models) {
        catalog.update(models);
        List<EventBody.ModelOffer> offers = models.stream()
                .map(m -> new EventBody.ModelOffer(m.name(), catalog.parametersMillions(m.name()), m.quantization(), 0,
                        m.capabilities().stream().filter(c -> c.length() <= 64)
                                .limit(EventBody.ModelOffer.MAX_CAPABILITIES).toList()))
                .sorted(java.util.Comparator.comparing(EventBody.ModelOffer::name))
                .toList();
        EventBody.CapabilitiesAnnounced caps = new EventBody.CapabilitiesAnnounced(offers,
                models.stream().allMatch(ModelInfo::simulated) && !models.isEmpty() ? "simulated" : "",
                bridge.queueState().backends().stream().mapToInt(QueueState.BackendState::maxConcurrency).sum(),
                address());
        // unchanged and fresh: nothing to say; else (re-)announce, well before the gossip's age limit drops it
        long now = System.currentTimeMillis();
        boolean fresh = now - Math.max(this.models.timestampOf(keys.id()), lastAnnounced) < this.models.limits().maxAge().toMillis() / 2;
        if (caps.equals(capabilities.of(keys.id())) && fresh) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        lastAnnounced = now;
        return store.append(caps);
    }

    public NodeId id() {
        return keys.id();
    }

    public LedgerStore store() {
        return store;
    }

    public PeerManager peers() {
        return peers;
    }

    public KarmaEngine karma() {
        return karma;
    }

    public InferenceBridge bridge() {
        return bridge;
    }

    public InferenceService inference() {
        return inference;
    }

    public CouncilService council() {
        return council;
    }

    public CapabilityDirectory capabilities() {
        return capabilities;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public NodeConfig config() {
        return config;
    }

    Vertx vertx() {
        return vertx;
    }

    NodeKeyPair keys() {
        return keys;
    }

    /** Base URL of this node's JSON API, e.g. {@code http://127.0.0.1:7480/api/v1}. */
    public String apiUrl() {
        return "http://" + config.api().host() + ":" + api.actualPort() + "/api/v1";
    }

    /** Base URL of this node's Ollama-compatible endpoint, e.g. {@code http://127.0.0.1:11435}, or null when not serving one. */
    public String ollamaUrl() {
        return ollama == null ? null : "http://" + config.api().ollamaHost() + ":" + ollama.actualPort();
    }

    /** The bearer token of the API's acting endpoints. */
    public ApiToken apiToken() {
        return token;
    }

    /** host:port where peers reach this node. */
    public String address() {
        return config.peers().listenHost() + ":" + peers.listenPort();
    }

    /** Says goodbye to peers, stops backends and Vert.x, then closes the ledger. Blocking; idempotent. */
    public void stop() {
        try {
            Blocking.await(bridge.close(), "close the backends");
        } catch (NodeException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
        karmaExecutor.shutdownNow();
        metrics.close();
        Blocking.closeQuietly(vertx, store);
    }
}
