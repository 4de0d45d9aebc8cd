package org.council.bench.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code council run} child process: started, timed until its JSON API answers, measured
 * through {@code /proc/<pid>/status}, and stopped (SIGTERM, so it closes its ledger, then killed
 * if it hangs). Its output goes to a log file whose tail is shown when it fails. Not thread-safe.
 */
final class NodeProcess implements AutoCloseable {

    /** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from Java). */
    private static final int CLOCK_TICKS = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int apiPort;
    private final long startedNanos;

    private NodeProcess(Process process, Path log, int apiPort, long startedNanos) {
        this.process = process;
        this.log = log;
        this.apiPort = apiPort;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts {@code command} (ending in {@code run --data-dir DIR}) with the environment's
     * {@code COUNCIL_} settings removed, so that only the data directory's settings apply, and
     * {@code extraEnv} added.
     */
    static NodeProcess start(List<String> command, Map<String, String> extraEnv, Path log, int apiPort)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("COUNCIL_") && !k.equals("COUNCIL_JAVA_OPTS"));
        env.putAll(extraEnv);
        long t0 = System.nanoTime();
        return new NodeProcess(pb.start(), log, apiPort, t0);
    }

    /**
     * Seconds from the process start until {@code GET /api/v1/node} answers 200 (polled every
     * 50 ms).
     *
     * @throws IOException when the process ends first or {@code timeoutSeconds} pass
     */
    double awaitApi(double timeoutSeconds) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(apiBase() + "/node")).timeout(Duration.ofSeconds(5))
                .GET().build();
        long deadline = startedNanos + (long) (timeoutSeconds * 1e9);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the node exited with status " + process.exitValue() + " before its API "
                        + "answered; its output ends with:\n" + tail());
            }
            try {
                if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException("the node's API did not answer within " + timeoutSeconds + " s; its output ends "
                + "with:\n" + tail());
    }

    String apiBase() {
        return "http://127.0.0.1:" + apiPort + "/api/v1";
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** A {@code /proc/<pid>/status} field in kB ({@code VmRSS}, {@code VmHWM}), or -1 when unknown. */
    long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone: unknown
        }
        return -1;
    }

    /**
     * CPU seconds (user + system) the process has used so far, from {@code /proc/<pid>/stat}, or
     * -1 when unknown: on a shared machine this says what start-up costs whatever the contention.
     */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // fields after the command name (which may hold spaces) start at state, field 3
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The last lines of the process's output. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
