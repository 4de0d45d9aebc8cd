package org.council.bench.hostile;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.TreeMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.council.node.Node;

/**
 * One attacker, on its own thread and its own loopback address: it plays rounds (a fresh identity
 * each, as keys are free) until the bench says stop or its deadline passes, and counts how each
 * round ended: {@code banned} (the node refuses the identity), {@code closed} (the node ended the
 * connection without a ban) or {@code still running} (the bench stopped it). Traffic stays on 127.0.0.x.
 * Keys, certificates and signed events are made before the measured pull ({@link #prepare}, and
 * each attack's own rounds), as an attacker's own machines would: the attackers share this JVM and
 * its cores with the node, and their key generation and signing are not the node's cost.
 */
abstract class Attack implements Runnable {

    static final String BANNED = "banned";
    static final String CLOSED = "closed";
    static final String RUNNING = "still running";
    /** The node closed the connection before TLS (a pre-hello cap or the host's handshake budget). */
    static final String REFUSED = "refused before TLS";
    private static final long PAUSE_MS = 1_000;

    final String name;
    final String from;
    final Node target;
    final Vertx vertx;
    private final long deadlineMs;
    private final Map<String, Integer> ended = new TreeMap<>();
    private volatile boolean stop;
    private final Queue<AttackPeer.Identity> identities = new ConcurrentLinkedQueue<>();
    /** What the node sent this attacker's connections: replication it serves them is work the node does for them. */
    final java.util.concurrent.atomic.LongAdder eventsIn = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder bytesIn = new java.util.concurrent.atomic.LongAdder();

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
            } catch (Refused e) {
                count(REFUSED);
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

    /** Events and MiB the node sent this attacker so far. */
    String received() {
        return eventsIn.sum() + " events, " + Math.round(bytesIn.sum() / 1048576.0 * 10) / 10.0 + " MiB";
    }

    /** Makes {@code n} identities now, so that the rounds during the measured pull need not. */
    Attack prepare(int n) {
        for (int i = 0; i < n; i++) {
            identities.add(AttackPeer.Identity.fresh());
        }
        return this;
    }

    /** A fresh identity (one made ahead, else a new one) connected from this attacker's address. */
    AttackPeer connect() throws Exception {
        AttackPeer.Identity id = identities.poll();
        return connect(id != null ? id : AttackPeer.Identity.fresh());
    }

    /** Connects {@code identity}; {@link Refused} when the TLS connection failed (the node closed it first). */
    AttackPeer connect(AttackPeer.Identity identity) throws Exception {
        try {
            return new AttackPeer(identity, eventsIn, bytesIn).connect(vertx, target.peers().listenPort(), from);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new Refused(e);
        }
    }

    static final class Refused extends Exception {
        Refused(Throwable cause) {
            super(cause);
        }
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
