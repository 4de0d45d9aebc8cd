package org.council.node.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.council.api.http.Origins;
import org.council.bridge.openai.OpenAiConfig;
import org.council.bridge.scheduler.SchedulerConfig;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;
import org.council.ledger.scope.ScopeConfig;
import org.council.ledger.store.LedgerConfig;
import org.council.node.ApiConfig;
import org.council.node.DataDir;
import org.council.node.InferenceConfig;
import org.council.node.NodeConfig;
import org.council.node.peer.PeerConfig;
import org.council.node.peer.RelayConfig;
import org.council.node.peer.ScopeDials;
import org.council.node.readmodel.ModelDirectory;

/**
 * A node's settings from, in increasing precedence: built-in defaults, the config file
 * ({@link DataDir#settingsFile()}), environment variables ({@code COUNCIL_} + the key
 * upper-cased with dots as underscores, e.g. {@code COUNCIL_LISTEN_PORT}), and command-line flags.
 * Bad values are reported with the key and where it came from.
 */
final class Settings {

    /** Every key, its default and its meaning; also the commented config file {@code init} writes. */
    static final List<String[]> KEYS = List.of(
            new String[] {"network", "council-main", "network id; nodes of another network are refused"},
            new String[] {"listen.host", "127.0.0.1", "address peers connect to; 0.0.0.0 to accept from other machines"},
            new String[] {"listen.port", "7400", "TCP port for peers (0 = any free port)"},
            new String[] {"seeds", "", "peers to dial, comma-separated: host:port or <node id hex>@host:port"},
            new String[] {"max.connections", "32", "most peer sessions at once"},
            new String[] {"outbound.connections", "8", "sessions this node opens itself, never taken by inbound peers (at most half of max.connections)"},
            new String[] {"hello.timeout.seconds", "10", "a connection that has not said hello by then is closed"},
            new String[] {"max.pending.hellos", "64", "inbound connections waiting for hello at once"},
            new String[] {"max.pending.per.address", "8", "inbound connections waiting for hello from one address (IPv4, IPv6 /64)"},
            new String[] {"max.inbound.per.address", "4", "inbound sessions from one address (IPv4, IPv6 /64)"},
            new String[] {"max.inbound.per.netgroup", "8", "inbound sessions from one network (IPv4 /16, IPv6 /32)"},
            new String[] {"handshake.burst.per.address", "16", "TLS handshakes one address may start at once before it is rate-limited"},
            new String[] {"handshakes.per.address.per.minute", "60", "the sustained rate of TLS handshakes one address may start"},
            new String[] {"ban.handshake.cost", "8", "handshakes of its address's budget a banned identity costs"},
            new String[] {"ban.probation.seconds", "60", "after a ban, the address's other sessions are served no history for this long"},
            new String[] {"budgets.per.address", "true", "sessions from one address share their budgets of unpaid checks, new feeds and repeats"},
            new String[] {"repeats.per.address.per.second", "1024", "with budgets.per.address: events a second one address's "
                    + "sessions are served of what another of its sessions already holds"},
            new String[] {"dial.private", "false", "dial loopback and private addresses learned from peers"},
            new String[] {"ledger.max.feeds", "50000", "most feeds this node holds; events starting more are refused"},
            new String[] {"ollama.urls", "http://127.0.0.1:11434", "Ollama servers, comma-separated (empty: none)"},
            new String[] {"openai.urls", "", "OpenAI-compatible servers (llama-server, vLLM, LM Studio), comma-separated, "
                    + "e.g. http://127.0.0.1:8080/v1 (empty: none)"},
            new String[] {"openai.api.key", "", "API key sent to the OpenAI-compatible servers (empty: none); "
                    + "prefer the environment variable COUNCIL_OPENAI_API_KEY"},
            new String[] {"simulated", "false", "add a simulated backend (labelled as simulated; for demos and tests)"},
            new String[] {"trusted", "", "node ids (hex) this operator trusts: seeds of the karma computation"},
            new String[] {"lan.discovery", "false", "announce and discover peers by UDP multicast on the LAN"},
            new String[] {"api.host", "127.0.0.1", "address of the JSON API; read endpoints are public, keep it on loopback"},
            new String[] {"api.port", "7480", "port of the JSON API, /metrics and the dashboard (0 = any free port)"},
            new String[] {"ollama.listen.host", "127.0.0.1", "address of this node's Ollama-compatible endpoint"},
            new String[] {"ollama.listen.port", "11435", "port of this node's Ollama-compatible endpoint (0 = any free port)"},
            new String[] {"ollama.origins", "", "browser origins allowed beyond this machine's own, comma-separated; * as a wildcard"},
            new String[] {"ollama.token", "", "bearer token the Ollama-compatible endpoint requires (empty: none; required off loopback)"},
            new String[] {"replication.scope.enabled", "false", "replicate only this node's scope (own, counterparties, "
                    + "trust hops, trusted and connected peers) instead of every feed"},
            new String[] {"replication.scope.hops", String.valueOf(ScopeConfig.DEFAULT_HOPS),
                    "with scope: trust hops along settled receipts whose feeds are held whole (1..8)"},
            new String[] {"replication.scope.max.feeds", String.valueOf(ScopeConfig.DEFAULT_MAX_FEEDS),
                    "with scope: most feeds in scope; the most distant leave first"},
            new String[] {"relay.enabled", "true", "relay circuits for peers that cannot be dialled (they see only TLS ciphertext)"},
            new String[] {"relay.max.reservations", "16", "peers that may reserve a relay slot here at once"},
            new String[] {"relay.max.circuits.per.reservation", "4", "circuits at once to one reserving peer"},
            new String[] {"relay.max.circuits", "64", "circuits through this node at once"},
            new String[] {"relay.max.circuit.mib", "64", "MiB one circuit may carry (both ways) before the relay closes it"},
            new String[] {"relay.max.circuit.seconds", "1800", "seconds one circuit may stay open"},
            new String[] {"models.directory.max.authors", String.valueOf(ModelDirectory.Limits.defaults().maxAuthors()),
                    "most nodes whose signed model announcements are kept to find models beyond the scope "
                    + "(the oldest leave first)"},
            new String[] {"replication.scope.dials.per.minute", String.valueOf(ScopeDials.Limits.defaults().dialsPerMinute()),
                    "with scope: most scope neighbours no session covers dialled a minute (0: none)"},
            new String[] {"replication.scope.catch.up.sessions", String.valueOf(ScopeDials.Limits.defaults().catchUpSessions()),
                    "with scope: catch-up sessions to uncovered scope neighbours beyond the outbound slots (0: none)"});

    private final Properties values = new Properties();
    private final Properties origin = new Properties();

    static Settings load(Path dataDir, Map<String, String> env, Map<String, String> flags) {
        Settings s = new Settings();
        for (String[] k : KEYS) {
            s.set(k[0], k[1], "default");
        }
        Path file = new DataDir(dataDir).settingsFile();
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new CliException(ExitCode.CONFIG, "cannot read " + file + ": " + e.getMessage());
            }
            for (String key : p.stringPropertyNames()) {
                if (KEYS.stream().noneMatch(k -> k[0].equals(key))) {
                    throw new CliException(ExitCode.CONFIG, file + ": unknown setting `" + key + "` (known: "
                            + String.join(", ", KEYS.stream().map(k -> k[0]).toList()) + ")");
                }
                s.set(key, p.getProperty(key).strip(), file.toString());
            }
        }
        for (String[] k : KEYS) {
            String var = "COUNCIL_" + k[0].toUpperCase(Locale.ROOT).replace('.', '_');
            if (env.containsKey(var)) {
                s.set(k[0], env.get(var).strip(), "environment " + var);
            }
        }
        flags.forEach((k, v) -> s.set(k, v, "flag --" + k.replace('.', '-')));
        return s;
    }

    private void set(String key, String value, String from) {
        values.setProperty(key, value);
        origin.setProperty(key, from);
    }

    String get(String key) {
        return values.getProperty(key);
    }

    private CliException bad(String key, String why) {
        return new CliException(ExitCode.CONFIG, "setting `" + key + "` = `" + get(key) + "` (from "
                + origin.getProperty(key) + "): " + why);
    }

    int port(String key) {
        try {
            int p = Integer.parseInt(get(key));
            if (p < 0 || p > 65535) {
                throw bad(key, "a port is 0..65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw bad(key, "not a number");
        }
    }

    int positive(String key) {
        try {
            int n = Integer.parseInt(get(key));
            if (n < 1) {
                throw bad(key, "must be at least 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, "not a number");
        }
    }

    int atLeast(String key, int least) {
        try {
            int n = Integer.parseInt(get(key));
            if (n < least) {
                throw bad(key, "must be at least " + least);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, "not a number");
        }
    }

    boolean flag(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw bad(key, "must be true or false");
        }
        return v.equals("true");
    }

    List<String> list(String key) {
        return Arrays.stream(get(key).split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** The node configuration these settings describe. */
    NodeConfig nodeConfig(Path dataDir) {
        List<NodeId> trusted;
        try {
            trusted = list("trusted").stream().map(NodeId::fromHex).toList();
        } catch (IllegalArgumentException e) {
            throw bad("trusted", "each entry must be a 64-hex node id");
        }
        PeerConfig peers;
        try {
            int max = positive("max.connections");
            PeerConfig.Admission admission = new PeerConfig.Admission(
                    Duration.ofSeconds(positive("hello.timeout.seconds")), positive("max.pending.hellos"),
                    positive("max.pending.per.address"), positive("max.inbound.per.address"),
                    positive("max.inbound.per.netgroup"), flag("dial.private"), 2, positive("handshake.burst.per.address"),
                    positive("handshakes.per.address.per.minute"), positive("ban.handshake.cost"),
                    Duration.ofSeconds(positive("ban.probation.seconds")), flag("budgets.per.address"),
                    positive("repeats.per.address.per.second"));
            peers = new PeerConfig(get("network"), get("listen.host"), port("listen.port"), list("seeds"), max,
                    Math.min(positive("outbound.connections"), max / 2), Duration.ofMinutes(10), 10_000, 1_000,
                    flag("lan.discovery") ? PeerConfig.LanDiscoveryConfig.off().on(7401)
                            : PeerConfig.LanDiscoveryConfig.off(), admission, null, null)
                    .withReplication(replication(trusted))
                    .withRelay(RelayConfig.defaults().withEnabled(flag("relay.enabled")).withLimits(
                            positive("relay.max.reservations"), positive("relay.max.circuits.per.reservation"),
                            positive("relay.max.circuits"), (long) positive("relay.max.circuit.mib") << 20,
                            Duration.ofSeconds(positive("relay.max.circuit.seconds"))));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.CONFIG, "peer settings: " + e.getMessage());
        }
        InferenceConfig inference = new InferenceConfig(list("ollama.urls"),
                flag("simulated") ? SimulatedConfig.defaults() : null, SchedulerConfig.defaults(), trusted)
                .withOpenAi(openAiUrls(), get("openai.api.key").strip());
        LedgerConfig ledger = LedgerConfig.defaults().withMaxFeeds(positive("ledger.max.feeds"));
        return new NodeConfig(dataDir, peers, ledger, inference, apiConfig());
    }

    private PeerConfig.Replication replication(List<NodeId> trusted) {
        ScopeConfig scope;
        try {
            scope = new ScopeConfig(positive("replication.scope.hops"), positive("replication.scope.max.feeds"));
        } catch (IllegalArgumentException e) {
            throw bad("replication.scope.hops", e.getMessage());
        }
        int authors = positive("models.directory.max.authors");
        ModelDirectory.Limits models = ModelDirectory.Limits.defaults().withMaxAuthors(authors)
                .withMaxPerModel(Math.min(authors, ModelDirectory.Limits.defaults().maxPerModel()));
        return (flag("replication.scope.enabled") ? PeerConfig.Replication.scoped(scope, java.util.Set.copyOf(trusted))
                : new PeerConfig.Replication(false, scope, java.util.Set.copyOf(trusted))).withModels(models)
                .withDials(new ScopeDials.Limits(atLeast("replication.scope.dials.per.minute", 0),
                        atLeast("replication.scope.catch.up.sessions", 0)));
    }

    /** Checked here so a typo is a configuration error at start, not a backend that never answers. */
    private List<String> openAiUrls() {
        List<String> urls = list("openai.urls");
        for (String url : urls) {
            try {
                OpenAiConfig.of("openai", url);
            } catch (IllegalArgumentException e) {
                throw bad("openai.urls", e.getMessage());
            }
        }
        return urls;
    }

    private ApiConfig apiConfig() {
        try {
            Origins.of(list("ollama.origins"));
        } catch (IllegalArgumentException e) {
            throw bad("ollama.origins", e.getMessage());
        }
        String token = get("ollama.token").strip();
        try {
            return new ApiConfig(get("api.host"), port("api.port"), get("ollama.listen.host"),
                    port("ollama.listen.port"), list("ollama.origins"),
                    token.isEmpty() ? Optional.empty() : Optional.of(token));
        } catch (IllegalArgumentException e) {
            // never echo the token: name where it came from instead
            String key = token.isEmpty() ? "ollama.listen.host" : "ollama.token";
            String value = token.isEmpty() ? " = `" + get(key) + "`" : "";
            throw new CliException(ExitCode.CONFIG, "setting `" + key + "`" + value + " (from " + origin.getProperty(key)
                    + "): " + e.getMessage());
        }
    }
}
