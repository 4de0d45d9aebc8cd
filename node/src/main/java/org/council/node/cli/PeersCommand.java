package org.council.node.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code council peers}: the running node's peer sessions. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "List the running node's peers, or make it dial one.",
        subcommands = {PeersListCommand.class, PeersAddCommand.class})
final class PeersCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return CouncilCli.missingSubcommand(spec);
    }
}
