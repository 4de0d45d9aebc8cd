package org.council.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js client project under {@code src/test/js/<name>}, copied to {@code target/<name>} and
 * installed from its lock file ({@code npm ci}, once per lock), for tests that run official client
 * libraries unchanged. Needs Node.js and npm on the PATH: without them a test fails, it does not skip.
 */
final class NpmProject {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

    private final Path source;
    private final Path dir;

    NpmProject(String name) {
        this.source = MODULE.resolve("src/test/js").resolve(name);
        this.dir = MODULE.resolve("target").resolve(name);
    }

    /** Copies the project's files and installs its locked dependencies unless already installed. */
    NpmProject prepare(List<String> files) throws Exception {
        Files.createDirectories(dir);
        for (String f : files) {
            Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = dir.resolve("node_modules/.council-installed-lock");
        byte[] lock = Files.readAllBytes(dir.resolve("package-lock.json"));
        if (Files.exists(installed) && Arrays.equals(Files.readAllBytes(installed), lock)) {
            return this;
        }
        run(Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
        Files.write(installed, lock);
        return this;
    }

    /** Runs a command in the project; returns the last line of its output parsed as JSON when it is JSON. */
    JsonNode run(Duration timeout, String... command) throws Exception {
        Path stdout = Files.createTempFile(dir, "out", ".txt");
        Path stderr = Files.createTempFile(dir, "err", ".txt");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("this test runs an official npm client and needs Node.js (20 or newer) and "
                    + "npm on the PATH; could not run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        }
        boolean finished = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        Files.delete(stdout);
        Files.delete(stderr);
        if (!finished || p.exitValue() != 0) {
            throw new AssertionError("`" + String.join(" ", command) + "` " + (finished ? "exited with " + p.exitValue()
                    : "did not finish within " + timeout.toSeconds() + " s") + "\n--- stdout ---\n" + out
                    + "\n--- stderr ---\n" + err);
        }
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1];
        return last.startsWith("{") ? new ObjectMapper().readTree(last) : null;
    }
}
