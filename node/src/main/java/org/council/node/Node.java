package org.council.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.council.crypto.KeyFiles;
import org.council.crypto.NodeCertificate;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerStore;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.node.peer.PeerManager;

/**
 * The composition root: builds and owns the node's key, ledger store, Vert.x instance and peer
 * manager, wires them through constructors, and starts and stops them in order. {@link #stop}
 * releases every thread and native handle. Start and stop may be called from any thread, not
 * from a Vert.x event loop (stop waits for the store to close).
 */
public final class Node {

    private static final System.Logger LOG = System.getLogger(Node.class.getName());

    private final NodeConfig config;
    private final NodeKeyPair keys;
    private final LedgerStore store;
    private final Vertx vertx;
    private final PeerManager peers;

    private Node(NodeConfig config, NodeKeyPair keys, LedgerStore store, Vertx vertx, PeerManager peers) {
        this.config = config;
        this.keys = keys;
        this.store = store;
        this.vertx = vertx;
        this.peers = peers;
    }

    /**
     * Opens the data directory (creating key and ledger on first use) and starts networking;
     * returns once the node listens. Blocking: call it off any event loop.
     *
     * @throws NodeException when the node cannot start (everything opened so far is closed again)
     */
    public static Node start(NodeConfig config) {
        NodeKeyPair keys = KeyFiles.loadOrCreate(config.keyFile());
        LedgerStore store = RocksLedgerStore.open(config.ledgerDir(), keys, config.ledger());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        try {
            PeerManager peers = new PeerManager(NodeCertificate.create(keys), store, config.peers());
            Node node = new Node(config, keys, store, vertx, peers);
            await(vertx.deployVerticle(peers), "start networking");
            return node;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "node failed to start", e);
            closeQuietly(vertx, store);
            throw e instanceof NodeException ne ? ne : new NodeException("node failed to start: " + e, e);
        }
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

    public NodeConfig config() {
        return config;
    }

    /** host:port where peers reach this node. */
    public String address() {
        return config.peers().listenHost() + ":" + peers.listenPort();
    }

    /** Says goodbye to peers, stops Vert.x, then closes the ledger. Blocking; idempotent. */
    public void stop() {
        closeQuietly(vertx, store);
    }

    private static void closeQuietly(Vertx vertx, LedgerStore store) {
        try {
            await(vertx.close(), "stop networking");
        } catch (NodeException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        } finally {
            store.close();
        }
    }

    private static <T> T await(Future<T> f, String what) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NodeException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new NodeException("could not " + what + " within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("interrupted while trying to " + what, e);
        }
    }
}
