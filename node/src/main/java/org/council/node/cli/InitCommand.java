package org.council.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.council.crypto.ApiToken;
import org.council.crypto.KeyFiles;
import org.council.crypto.NodeKeyPair;
import org.council.node.DataDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code council init}: creates the data directory, the node key, the API token and a commented config file. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a node: data directory, private key and API token (owner-only files) and a commented config file.")
final class InitCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where the node keeps its key, config and ledger (default: ~/.council).")
    Path dataDir;

    @Option(names = "--show-token", description = "Also print the API token (it lets its holder act as this node's operator).")
    boolean showToken;

    @Override
    public Integer call() {
        DataDir dir = DataDir.orDefault(dataDir);
        Path key = dir.keyFile();
        Path config = dir.settingsFile();
        boolean existed = Files.exists(key);
        NodeKeyPair keys = existed ? KeyFiles.load(key) : NodeKeyPair.generate();
        if (!existed) {
            KeyFiles.create(key, keys);
        }
        if (!Files.exists(config)) {
            StringBuilder sb = new StringBuilder("# Council node configuration. Environment variables COUNCIL_<KEY>\n"
                    + "# (dots as underscores, e.g. COUNCIL_LISTEN_PORT) and command-line flags override it.\n\n");
            for (String[] k : Settings.KEYS) {
                sb.append("# ").append(k[2]).append('\n').append(k[0]).append('=').append(k[1]).append("\n\n");
            }
            try {
                Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(ExitCode.CONFIG, "cannot write " + config + ": " + e.getMessage());
            }
        }
        Path tokenFile = dir.tokenFile();
        ApiToken token = ApiToken.loadOrCreate(tokenFile);
        System.out.println((existed ? "already initialized: " : "initialized: ") + dir);
        System.out.println("node id: " + keys.id().hex());
        System.out.println("config:  " + config);
        System.out.println("token:   " + tokenFile + " (owner-only; `council ask` and `peers add` read it)");
        if (showToken) {
            System.out.println("api token: " + token.hex());
        }
        return ExitCode.OK;
    }
}
