package org.council.bench.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.node.Node;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;

/**
 * The attackers of {@code replication.under_attack}, one of each kind of docs/threat-model.md,
 * each from its own loopback address. Each round uses a fresh identity and plays until the node
 * ends it or a bound of frames is spent, so that every attacker stops by itself.
 */
final class Attacks {

    private static final String NETWORK = "council-test";
    private static final long READY_MS = 30_000;
    /** Rounds made ahead for the attacks that end each in a ban; past them, rounds are made as they go. */
    private static final int PREPARED_ROUNDS = 30;
    /** The same for the attacks whose rounds sign hundreds of events each. */
    private static final int PREPARED_SIGNED_ROUNDS = 6;

    private Attacks() {
    }

    /** Every kind, in the order of docs/threat-model.md. */
    static final List<String> KINDS = List.of("pre_hello_flood", "many_identities", "clocks_flood", "ping_flood_unread",
            "new_feed_flood", "fork_replay", "bad_signature_inference");

    /** The attackers of the kinds named, each new (its own counters), from 127.0.0.2 to 127.0.0.8. */
    static List<Attack> chosen(Node target, Vertx vertx, long maxMillis, List<String> kinds) {
        return chosen(target, vertx, maxMillis, kinds, "127.0.0.");
    }

    /** The same from {@code net} + 2 to 8 (another /24 of 127/8 for attackers whose hosts' state must not carry over). */
    static List<Attack> chosen(Node target, Vertx vertx, long maxMillis, List<String> kinds, String net) {
        List<Attack> chosen = new ArrayList<>();
        for (String kind : kinds) {
            chosen.add(switch (kind.trim()) {
                case "pre_hello_flood" -> preHello(target, vertx, maxMillis, net).prepare(300);
                case "many_identities" -> identities(target, vertx, maxMillis, net).prepare(300);
                case "clocks_flood" -> clocks(target, vertx, maxMillis, net).prepare(PREPARED_ROUNDS);
                case "ping_flood_unread" -> pings(target, vertx, maxMillis, net).prepare(PREPARED_ROUNDS);
                case "new_feed_flood" -> newFeeds(target, vertx, maxMillis, net).prepare(PREPARED_ROUNDS);
                case "fork_replay" -> forks(target, vertx, maxMillis, net);
                case "bad_signature_inference" -> badSignatures(target, vertx, maxMillis, net).prepare(PREPARED_ROUNDS);
                default -> throw new IllegalArgumentException("no attack " + kind + "; one of " + KINDS);
            });
        }
        return chosen;
    }

    /** 100 TLS connections that never say hello, per round; ended by the pending caps and the hello deadline. */
    static Attack preHello(Node target, Vertx vertx, long maxMillis, String net) {
        return new Attack("pre_hello_flood", net + "2", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                List<AttackPeer> open = new ArrayList<>();
                for (int i = 0; i < 100 && going(); i++) {
                    try {
                        open.add(connect());
                    } catch (Refused refused) {
                        count(REFUSED);
                    }
                }
                for (AttackPeer p : open) {
                    settle(p);
                }
            }
        };
    }

    /**
     * 16 identities from one address that say hello and idle; those the node ends are replaced (one
     * try per missing identity a second). Like every attacker here they end the clocks exchange, so
     * the ones admitted pull every feed the node holds.
     */
    static Attack identities(Node target, Vertx vertx, long maxMillis, String net) {
        return new Attack("many_identities", net + "3", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                List<AttackPeer> live = new ArrayList<>();
                while (going()) {
                    for (AttackPeer p : List.copyOf(live)) {
                        if (p.isClosed()) {
                            live.remove(p);
                            settle(p);
                        }
                    }
                    // one try per missing identity a second: no busy loop when the node refuses before TLS
                    for (int missing = 16 - live.size(); missing > 0 && going(); missing--) {
                        try {
                            AttackPeer p = connect();
                            p.hello(NETWORK);
                            live.add(p);
                        } catch (Refused refused) {
                            count(REFUSED);
                        }
                    }
                    Thread.sleep(1_000);
                }
                for (AttackPeer p : live) {
                    settle(p);
                }
            }
        };
    }

    /** Clocks with {@code last=false} without end: 8,192 entries a frame, at most 1,000 frames. */
    static Attack clocks(Node target, Vertx vertx, long maxMillis, String net) {
        List<WireMessage.FeedClock> entries = new ArrayList<>();
        for (int i = 0; i < 8_192; i++) {
            entries.add(new WireMessage.FeedClock(NodeKeyPair.generate().id(), 1));
        }
        WireMessage.Clocks frame = new WireMessage.Clocks(entries, false);
        return new Attack("clocks_flood", net + "4", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                AttackPeer p = connect();
                p.hello(NETWORK);
                p.flood(i -> frame, 1_000, 1, this::going);
                settle(p);
            }
        };
    }

    private static final WireMessage.Ping PING = new WireMessage.Ping(1);

    /** Pings, 1,000 a write, from a peer that stops reading; at most 2 million. */
    static Attack pings(Node target, Vertx vertx, long maxMillis, String net) {
        return new Attack("ping_flood_unread", net + "5", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                AttackPeer p = connect();
                if (p.ready(NETWORK, READY_MS)) {
                    p.stopReading();
                    p.flood(i -> PING, 2_000_000, 1_000, this::going); // the node answers each alike
                }
                settle(p);
            }
        };
    }

    /** Single-event feeds of fresh authors, 1,100 a round (the default budget is 1,000 an hour). */
    static Attack newFeeds(Node target, Vertx vertx, long maxMillis, String net) {
        Queue<List<Buffer>> prepared = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < PREPARED_SIGNED_ROUNDS; i++) {
            prepared.add(newFeedRound());
        }
        return new Attack("new_feed_flood", net + "6", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                List<Buffer> ahead = prepared.poll();
                List<Buffer> batches = ahead != null ? ahead : newFeedRound();
                AttackPeer p = connect();
                if (p.ready(NETWORK, READY_MS)) {
                    p.floodEncoded(batches::get, batches.size(), 1, this::going);
                }
                settle(p);
            }
        };
    }

    /** A round's batches, signed and encoded ahead. */
    private static List<Buffer> newFeedRound() {
        long ts = System.currentTimeMillis() - 3_600_000L;
        List<Buffer> batches = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            NodeKeyPair author = NodeKeyPair.generate();
            batches.add(FrameCodec.encode(new WireMessage.EventBatch(author.id(),
                    List.of(EventCodec.sign(author, 1, null, ts, capabilities("x")).envelope()))));
        }
        return batches;
    }

    /** One round of {@link #forks}: an identity, its 256-event feed, and a fork of every seq of it. */
    private record ForkRound(AttackPeer.Identity identity, List<byte[]> feed, List<byte[]> forks) {
        static ForkRound make() {
            AttackPeer.Identity identity = AttackPeer.Identity.fresh();
            NodeKeyPair keys = identity.keys();
            long ts = System.currentTimeMillis() - 3_600_000L;
            List<SignedEvent> feed = new ArrayList<>();
            List<byte[]> forks = new ArrayList<>();
            for (int seq = 1; seq <= 256; seq++) {
                SignedEvent prev = feed.isEmpty() ? null : feed.get(feed.size() - 1);
                feed.add(EventCodec.sign(keys, seq, prev == null ? null : prev.id(), ts + seq, capabilities("m" + seq)));
                forks.add(EventCodec.sign(keys, seq, prev == null ? null : prev.id(), ts + seq,
                        capabilities("fork" + seq)).envelope());
            }
            return new ForkRound(identity, feed.stream().map(SignedEvent::envelope).toList(), forks);
        }
    }

    /** A 256-event feed, then a fork of every seq of it replayed, at most 100 batches. */
    static Attack forks(Node target, Vertx vertx, long maxMillis, String net) {
        Queue<ForkRound> prepared = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < PREPARED_SIGNED_ROUNDS; i++) {
            prepared.add(ForkRound.make());
        }
        return new Attack("fork_replay", net + "7", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                ForkRound ahead = prepared.poll();
                ForkRound r = ahead != null ? ahead : ForkRound.make();
                AttackPeer p = connect(r.identity());
                NodeKeyPair keys = p.keys;
                if (p.ready(NETWORK, READY_MS)) {
                    p.send(new WireMessage.EventBatch(keys.id(), r.feed()));
                    AttackPeer.waitFor(() -> p.isClosed() || !going() || target.store().head(keys.id())
                            .map(h -> h.seq() == 256).orElse(false), READY_MS);
                    WireMessage.EventBatch replay = new WireMessage.EventBatch(keys.id(), r.forks());
                    p.flood(i -> replay, 100, 1, this::going);
                }
                settle(p);
            }
        };
    }

    /** Inference requests whose signature does not verify; at most 2,000 a round. */
    static Attack badSignatures(Node target, Vertx vertx, long maxMillis, String net) {
        return new Attack("bad_signature_inference", net + "8", target, vertx, maxMillis) {
            @Override
            void round() throws Exception {
                AttackPeer p = connect();
                WireMessage.InferenceRequest r = RemoteRequest.sign(p.keys, target.id(), JobId.random(),
                        System.currentTimeMillis(), "llama3.1:8b", List.of(new ChatMessage("user", "hi")), 8, "").toWire();
                byte[] sig = r.signature().clone();
                sig[0] ^= 1;
                WireMessage.InferenceRequest forged = new WireMessage.InferenceRequest(r.request(), sig);
                if (p.ready(NETWORK, READY_MS)) {
                    p.flood(i -> forged, 2_000, 1, this::going);
                    // the node answers each one it checks: wait for the answers (or the close) before counting
                    AttackPeer.waitFor(() -> p.isClosed() || p.answered() >= 2_000 || !going(), READY_MS);
                }
                if (!p.isClosed() && !target.peers().isBanned(p.keys.id())) {
                    count("all refused, no consequence");
                    p.close();
                    return;
                }
                settle(p);
            }
        };
    }

    private static EventBody.CapabilitiesAnnounced capabilities(String model) {
        return new EventBody.CapabilitiesAnnounced(
                List.of(new EventBody.ModelOffer(model, 8_000, "Q4_K_M", 8192)), "bench", 1, "127.0.0.1:7000");
    }
}
