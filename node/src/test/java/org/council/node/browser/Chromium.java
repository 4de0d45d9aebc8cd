package org.council.node.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, with a fresh profile and DevTools on a free loopback port; for
 * browser tests. {@link #locate()} installs it through {@code scripts/ensure-chromium} when it is
 * missing and fails with the install command when that is impossible: a browser test never skips.
 * Not thread-safe: one test drives one instance.
 */
public final class Chromium implements AutoCloseable {

    /** Where Debian's package puts it; {@code COUNCIL_CHROMIUM} overrides. */
    public static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String INSTALL_HINT = "install it with: apt-get install -y chromium   (as root, or with sudo)";

    private final Process process;
    private final Path profile;
    private final Path log;
    private final int port;

    private Chromium(Process process, Path profile, Path log, int port) {
        this.process = process;
        this.profile = profile;
        this.log = log;
        this.port = port;
    }

    /**
     * The Chromium binary, installed first by {@code scripts/ensure-chromium} when absent.
     *
     * @throws AssertionError saying how to install it, when it is still missing
     */
    public static Path locate() {
        String override = System.getenv("COUNCIL_CHROMIUM");
        Path binary = override == null || override.isBlank() ? DEBIAN_CHROMIUM : Path.of(override);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path script = RepoRoot.find().resolve("scripts/ensure-chromium");
        Path log = Path.of("target", "ensure-chromium.log").toAbsolutePath();
        String outcome;
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            outcome = p.waitFor(20, TimeUnit.MINUTES) ? "exit code " + p.exitValue() : "still running after 20 min";
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            outcome = "could not run: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        }
        if (Files.isExecutable(binary)) {
            return binary;
        }
        throw new AssertionError("Chromium is required by the dashboard's browser test but " + binary
                + " is missing, and " + script + " could not install it (" + outcome + ", log " + log + "): "
                + INSTALL_HINT + "\n" + tail(log));
    }

    /** Starts Chromium headless with a fresh profile under workDir; returns once DevTools listens. */
    public static Chromium launch(Path binary, Path workDir) {
        try {
            Path profile = Files.createDirectories(workDir.resolve("profile"));
            Path log = workDir.resolve("chromium.log");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-proxy-server",
                    "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                    "--window-size=1280,900", "about:blank"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new Chromium(p, profile, log, awaitPort(p, profile.resolve("DevToolsActivePort"), log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    // Chromium writes the port it bound (port 0 = any free one) to this file once DevTools listens.
    private static int awaitPort(Process p, Path portFile, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2 && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("Chromium exited with " + p.exitValue() + " before DevTools listened\n" + tail(log));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("Chromium's DevTools did not listen within 60 s\n" + tail(log));
    }

    /** A DevTools session with the browser's (first) page. */
    public DevTools openPage() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonObject page = new JsonArray(r.body()).stream().map(JsonObject.class::cast)
                    .filter(t -> "page".equals(t.getString("type"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Chromium has no page target: " + r.body()));
            return DevTools.connect(URI.create(page.getString("webSocketDebuggerUrl")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list Chromium's targets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines Chromium printed. */
    public String log() {
        return tail(log);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Stops the browser (its own child processes with it) and deletes the profile. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover profile in a temp dir is harmless
        }
    }
}
