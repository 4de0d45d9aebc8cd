package org.council.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.council.crypto.ApiToken;
import org.council.crypto.CryptoException;
import org.council.node.DataDir;
import picocli.CommandLine.Option;

/**
 * The options of every command that talks to a running node: where its API is ({@code --api},
 * else {@code api.host}/{@code api.port} from the data dir's settings) and where its token is
 * (the data dir's {@link DataDir#tokenFile()}).
 */
final class ApiOptions {

    @Option(names = "--api", paramLabel = "URL",
            description = "Base URL of the node's JSON API, as `council run` prints it "
                    + "(default: from api.host and api.port in the data dir's settings).")
    String api;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The node's directory, for its settings and its API token (default: ~/.council).")
    Path dataDir;

    Path dataDir() {
        return DataDir.orDefault(dataDir).root();
    }

    /** The API's base URL: {@code --api}, else the one the data dir's settings give the node. */
    String baseUrl() {
        return api != null ? api : baseUrl(dataDir(), System.getenv());
    }

    static String baseUrl(Path dataDir, Map<String, String> env) {
        Settings s = Settings.load(dataDir, env, Map.of());
        int port = s.port("api.port");
        if (port == 0) {
            throw new CliException(ExitCode.CONFIG, "api.port is 0 (any free port) in the settings of " + dataDir
                    + ", so the node's API address is not known here: pass --api URL (`council run` prints it)");
        }
        String host = s.get("api.host");
        if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port + "/api/v1";
    }

    /** A client of the read endpoints (no token). */
    ApiClient client() {
        return new ApiClient(baseUrl(), null, null);
    }

    /** A client that sends the node's token, for the acting endpoints. */
    ApiClient clientWithToken() {
        Path file = new DataDir(dataDir()).tokenFile();
        if (!Files.exists(file)) {
            throw new CliException(ExitCode.CONFIG, "no API token at " + file + ": the node creates it on `council init` "
                    + "or its first start; pass --data-dir of the node you mean");
        }
        ApiToken token;
        try {
            token = ApiToken.load(file);
        } catch (CryptoException e) {
            throw new CliException(ExitCode.CONFIG, e.getMessage());
        }
        return new ApiClient(baseUrl(), token, file);
    }
}
