package org.council.bench.api;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.council.api.NodeInfo;
import org.council.api.http.ApiServer;
import org.council.api.http.AuditApi;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.FeedHead;
import org.council.ledger.reputation.Ranked;
import org.council.ledger.reputation.Reputation;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;

/**
 * The serving side of {@code api.audit_read}, run in its own JVM so that its memory is the API's
 * alone: opens the ledger, writes a {@link ReadPlan} sampled from it, serves the real
 * {@link AuditApi} with the real {@link ApiServer} on a Vert.x set up as {@code Node} sets up its
 * own, then answers commands on standard input, one per line, each with one line on standard
 * output: {@code stats} ({@link ProcessStats}), {@code reference THREADS SECONDS SEED}
 * ({@link DirectReads} on the same store), {@code quit}. End of input also quits.
 *
 * <p>Usage: {@code AuditServerProcess LEDGER_DIR PLAN_FILE}; prints {@code ready PORT EVENTS}.
 */
public final class AuditServerProcess {

    static final int PLAN_IDS = 20_000;
    static final long PLAN_SEED = 42;

    private AuditServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        NodeKeyPair self = NodeKeyPair.generate();
        try (RocksLedgerStore store = RocksLedgerStore.open(Path.of(args[0]), self, LedgerConfig.defaults())) {
            ReadPlan plan = ReadPlan.sample(store, PLAN_IDS, PLAN_SEED);
            plan.write(Path.of(args[1]));
            // the node's own Vert.x sizing (Node.start): the API competes for the same few threads
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
            try {
                ApiServer server = new ApiServer(new AuditApi(store, new FixedReputation(plan.heads()),
                        new BenchNode(self.id())), "127.0.0.1", 0);
                vertx.deployVerticle(server).await(60, TimeUnit.SECONDS);
                out.println("ready " + server.actualPort() + " " + store.eventCount());
                out.flush();
                serveCommands(store, plan, out);
            } finally {
                vertx.close().await(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void serveCommands(RocksLedgerStore store, ReadPlan plan, PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "stats" -> out.println("stats " + ProcessStats.now().encode());
                case "reference" -> {
                    DirectReads.Result r = DirectReads.run(store, plan, Integer.parseInt(cmd[1]),
                            Double.parseDouble(cmd[2]), Long.parseLong(cmd[3]));
                    out.println("reference " + r.reads() + " " + r.seconds() + " " + r.checksum());
                }
                case "quit" -> {
                    return;
                }
                default -> out.println("error unknown command " + cmd[0]);
            }
            out.flush();
        }
    }

    /** The node facts the audit API shows at {@code /node}. */
    private record BenchNode(NodeId id) implements NodeInfo {
        @Override
        public String version() {
            return "bench";
        }

        @Override
        public int peerCount() {
            return 0;
        }
    }

    /**
     * A fixed reputation over the ledger's authors: a lookup in an immutable map, which is what
     * {@code KarmaEngine} serves reads from between recomputations.
     */
    private static final class FixedReputation implements Reputation {
        private final List<Ranked> ranking;
        private final Map<NodeId, Ranked> byId;

        FixedReputation(List<FeedHead> heads) {
            int n = heads.size();
            this.ranking = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> new Ranked(heads.get(i).author(), 10.0 * (n - i) / n, 1.0 / n, 1_000L * (n - i),
                            false))
                    .toList();
            this.byId = ranking.stream().collect(Collectors.toUnmodifiableMap(Ranked::id, Function.identity()));
        }

        @Override
        public double karma(NodeId id) {
            Ranked r = byId.get(id);
            return r == null ? 0 : r.karma();
        }

        @Override
        public double trust(NodeId id) {
            Ranked r = byId.get(id);
            return r == null ? 0 : r.trust();
        }

        @Override
        public List<Ranked> ranking() {
            return ranking;
        }
    }
}
