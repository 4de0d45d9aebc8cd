package org.council.node.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import org.council.node.peer.SeedAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code council peers add}: asks the running node to dial a peer (needs the node's API token). */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Make the running node dial a peer: host:port, or <node id hex>@host:port to insist on its key.")
final class PeersAddCommand implements Callable<Integer> {

    @Mixin
    ApiOptions options;

    @Parameters(paramLabel = "ADDRESS", description = "host:port or <node id hex>@host:port")
    String address;

    @Override
    public Integer call() {
        try {
            SeedAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        JsonObject r = options.clientWithToken().post("/peers", new JsonObject().put("address", address.strip()), 202);
        System.out.println("the node is dialing " + r.getString("address", address) + " (`council peers list` shows the "
                + "session once it is up)");
        return ExitCode.OK;
    }
}
