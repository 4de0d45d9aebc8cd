package org.council.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code council peers list}: the peers the running node has a session with. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the peers the running node is connected to: id, address, karma.")
final class PeersListCommand implements Callable<Integer> {

    @Mixin
    ApiOptions options;

    @Option(names = "--json", description = "Print the API's JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        JsonObject body = options.client().get("/peers");
        if (json) {
            System.out.println(body.encode());
            return ExitCode.OK;
        }
        JsonArray peers = body.getJsonArray("peers", new JsonArray());
        if (peers.isEmpty()) {
            System.out.println("no peers connected");
        }
        for (Object o : peers) {
            JsonObject p = (JsonObject) o;
            System.out.printf(Locale.ROOT, "%s  %s  karma %.3f%n", p.getString("id"), p.getString("address"),
                    p.getDouble("karma", 0.0));
        }
        return ExitCode.OK;
    }
}
