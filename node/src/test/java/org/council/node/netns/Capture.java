package org.council.node.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packet capture inside one host's namespace ({@code tcpdump -i <dev> -w <file>}), for tests
 * that must show what a host on the path could see (a router, later a relay). Needs
 * {@code tcpdump}; {@link #available()} says whether it is there.
 */
public final class Capture implements AutoCloseable {

    private final NetLab.Host host;
    private final Path file;
    private final Process process;

    private Capture(NetLab.Host host, Path file, Process process) {
        this.host = host;
        this.file = file;
        this.process = process;
    }

    public static boolean available() {
        return NetLab.run("tcpdump", "--version").ok();
    }

    /**
     * Starts capturing every packet on the host's link into {@code file}; waits until tcpdump listens.
     * Immediate mode: without it libpcap hands packets over in blocks that fill or time out (1 s),
     * and a tcpdump starved of CPU on a loaded machine had not written the last seconds' packets
     * when it was stopped.
     */
    static Capture start(NetLab.Host host, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(NetLab.inside(host, List.of("tcpdump", "-i", host.dev(), "-n", "-U",
                "--immediate-mode", "-s", "0", "-w", file.toString()))).redirectErrorStream(true).start();
        // tcpdump reports "listening on ..." once its socket is open; nothing before that is captured.
        java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line = err.readLine();
        if (line == null || !line.contains("listening")) {
            p.destroyForcibly();
            throw new IllegalStateException("tcpdump did not start in " + host.ns() + ": " + line);
        }
        return new Capture(host, file, p);
    }

    /** Stops the capture (and flushes it). */
    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: tcpdump writes out what it holds
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The captured packets as {@code tcpdump -r -n} prints them, one per line. */
    public String summary() {
        return NetLab.run("tcpdump", "-r", file.toString(), "-n").out();
    }

    Process process() {
        return process;
    }

    public Path file() {
        return file;
    }

    public NetLab.Host host() {
        return host;
    }
}
