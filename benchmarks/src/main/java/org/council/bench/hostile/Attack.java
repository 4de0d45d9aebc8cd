package org.council.bench.hostile;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.TreeMap;
import org.council.crypto.NodeKeyPair;
import org.council.node.Node;

/**
 * One attacker, on its own thread and its own loopback address: it plays rounds (a fresh identity
 * each, as keys are free) until the bench says stop or its deadline passes, and counts how each
 * round ended: {@code banned} (the node refuses the identity), {@code closed} (the node ended the
 * connection without a ban) or {@code still running} (the bench stopped it). Traffic stays on 127.0.0.x.
 */
abstract class Attack implements Runnable {

    static final String BANNED = "banned";
    static final String CLOSED = "closed";
    static final String RUNNING = "still running";
    private static final long PAUSE_MS = 1_000;

    final String name;
    final String from;
    final Node target;
    final Vertx vertx;
    private final long deadlineMs;
    private final Map<String, Integer> ended = new TreeMap<>();
    private volatile boolean stop;

    Attack(String name, String from, Node target, Vertx vertx, long maxMillis) {
        this.name = name;
        this.from = from;
        this.target = target;
        this.vertx = vertx;
        this.deadlineMs = System.currentTimeMillis() + maxMillis;
    }

    /** Plays one round; returns when it ended (or {@link #going()} turned false). */
    abstract void round() throws Exception;

    @Override
    public void run() {
        while (going()) {
            try {
                round();
            } catch (Exception e) {
                count("error: " + e.getClass().getSimpleName());
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    boolean going() {
        return !stop && System.currentTimeMillis() < deadlineMs;
    }

    void stop() {
        stop = true;
    }

    synchronized void count(String outcome) {
        ended.merge(outcome, 1, Integer::sum);
    }

    synchronized Map<String, Integer> ended() {
        return new TreeMap<>(ended);
    }

    /** A fresh identity connected from this attacker's address. */
    AttackPeer connect() throws Exception {
        return new AttackPeer(NodeKeyPair.generate()).connect(vertx, target.peers().listenPort(), from);
    }

    /** Waits (bounded) for the node to end {@code p}, then counts how it ended and lets go of it. */
    void settle(AttackPeer p) throws InterruptedException {
        AttackPeer.waitFor(() -> p.isClosed() || !going(), 30_000);
        if (target.peers().isBanned(p.keys.id())) {
            count(BANNED);
        } else {
            count(p.isClosed() ? CLOSED : RUNNING);
        }
        p.close();
    }
}
