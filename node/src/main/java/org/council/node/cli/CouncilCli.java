package org.council.node.cli;

import org.council.crypto.CryptoException;
import org.council.ledger.store.LedgerException;
import org.council.node.NodeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code council} command line. */
@Command(name = "council", mixinStandardHelpOptions = true, version = "council 0.1.0",
        description = "A node of the Council network: pooled local LLMs, a signed ledger, karma-based priority.",
        subcommands = {InitCommand.class, RunCommand.class, StatusCommand.class, AskCommand.class, LedgerCommand.class,
                PeersCommand.class, DemoCommand.class})
public final class CouncilCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A command group run without a subcommand: its usage on stderr, and the usage exit code. */
    static int missingSubcommand(CommandLine.Model.CommandSpec spec) {
        System.err.println("council " + spec.name() + ": which one? (" + String.join(", ", spec.subcommands().keySet()
                .stream().filter(n -> !n.equals("help")).toList()) + ")");
        spec.commandLine().usage(System.err);
        return ExitCode.USAGE;
    }

    public static void main(String[] args) {
        // Operators read this program's own lines; library chatter (INFO) stays out unless asked for.
        java.util.logging.Logger.getLogger("").setLevel(Boolean.getBoolean("council.verbose")
                ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (never calls System.exit). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new CouncilCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException ce) {
                System.err.println("council: " + ce.getMessage());
                return ce.exitCode();
            }
            if (e instanceof NodeException || e instanceof LedgerException || e instanceof CryptoException) {
                System.err.println("council: " + e.getMessage());
                return ExitCode.FAILED;
            }
            throw e;
        });
        return cl.execute(args);
    }
}
