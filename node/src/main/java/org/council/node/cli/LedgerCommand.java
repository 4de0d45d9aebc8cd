package org.council.node.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code council ledger}: audit and export the signed ledger. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Audit and export the signed ledger.",
        subcommands = {LedgerVerifyCommand.class, LedgerExportCommand.class})
final class LedgerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return CouncilCli.missingSubcommand(spec);
    }
}
