package org.council.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code council status}: what the running node says about itself, through its JSON API. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running node: id, version, peers, queue, own balance and karma, ledger size.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ApiOptions options;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        ApiClient api = options.client();
        JsonObject node = api.get("/node");
        String id = node.getString("id");
        JsonArray peers = api.get("/peers").getJsonArray("peers", new JsonArray());
        JsonObject queue = api.get("/queue");
        JsonArray feeds = api.get("/feeds").getJsonArray("feeds", new JsonArray());
        long events = feeds.stream().mapToLong(f -> ((JsonObject) f).getLong("head_seq", 0L)).sum();
        // a node with no activity may have no account yet: 404, not an error here
        JsonObject account = api.getOrNull("/accounts/" + id);
        if (json) {
            System.out.println(new JsonObject().put("api", api.baseUrl()).put("node", node).put("peers", peers)
                    .put("queue", queue).put("account", account).put("feeds", feeds.size()).put("events", events)
                    .encode());
            return ExitCode.OK;
        }
        System.out.println("node     " + id);
        System.out.println("version  " + node.getString("version"));
        System.out.println("api      " + api.baseUrl());
        System.out.println("peers    " + peers.size() + " connected");
        for (Object o : peers) {
            JsonObject p = (JsonObject) o;
            System.out.printf(Locale.ROOT, "         %s at %s, karma %.3f%n", shortId(p.getString("id")),
                    p.getString("address"), p.getDouble("karma", 0.0));
        }
        System.out.printf(Locale.ROOT, "queue    %d waiting, %d running, estimated wait %d ms%n",
                queue.getInteger("waiting", 0), queue.getInteger("running", 0), queue.getLong("estimated_wait_ms", 0L));
        for (Object o : queue.getJsonArray("backends", new JsonArray())) {
            JsonObject b = (JsonObject) o;
            System.out.printf(Locale.ROOT, "         backend %s: %d/%d running, models %s%n", b.getString("name"),
                    b.getInteger("running", 0), b.getInteger("max_concurrency", 0),
                    String.join(", ", b.getJsonArray("models", new JsonArray()).stream().map(String::valueOf).toList()));
        }
        if (account == null) {
            System.out.println("account  none yet (no served or requested jobs)");
        } else {
            System.out.printf(Locale.ROOT, "account  balance %.3f, earned %.3f, spent %.3f, pending %.3f, karma %.3f%n",
                    milli(account, "balance_milli"), milli(account, "earned_milli"), milli(account, "spent_milli"),
                    milli(account, "pending_earned_milli"), account.getDouble("karma", 0.0));
        }
        System.out.println("ledger   " + feeds.size() + " feeds, " + events + " events");
        return ExitCode.OK;
    }

    private static double milli(JsonObject o, String key) {
        return o.getLong(key, 0L) / 1000.0;
    }

    static String shortId(String hex) {
        return hex == null || hex.length() < 8 ? String.valueOf(hex) : hex.substring(0, 8);
    }
}
