package org.council.node.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link NetnsNodeMain} process running inside one {@link NetLab.Host}'s namespace, driven by
 * one-line commands. Its stderr goes to {@code node.log} in its directory. Not thread-safe: one
 * command at a time.
 */
public final class NetnsNode implements AutoCloseable {

    private final NetLab.Host host;
    private final Process process;
    private final Path dir;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final String id;
    private final String address;

    private NetnsNode(NetLab.Host host, Process process, Path dir) throws IOException, InterruptedException {
        this.host = host;
        this.process = process;
        this.dir = dir;
        Thread reader = new Thread(this::readReplies, "netns-node-" + host.name());
        reader.setDaemon(true);
        reader.start();
        String[] f = await(Duration.ofSeconds(120), "LISTENING").split(" ");
        this.id = f[1];
        this.address = f[2];
    }

    /** Starts a node in {@code host}'s namespace; {@code args} are extra {@code key=value} settings. */
    public static NetnsNode start(NetLab.Host host, Path dir, List<String> seeds, String... args)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                NetnsNodeMain.class.getName(), "data=" + dir.resolve("data"), "host=" + host.address(),
                "seeds=" + (seeds.isEmpty() ? "-" : String.join(",", seeds))));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(NetLab.inside(host, cmd))
                .redirectError(dir.resolve("node.log").toFile()).start();
        return new NetnsNode(host, p, dir);
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("@@ ")) {
                    replies.add(line.substring(3));
                }
            }
        } catch (IOException e) {
            // the process ended; waiters time out with its log
        }
    }

    private String await(Duration timeout, String expectedStart) throws InterruptedException {
        String r = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null || !r.startsWith(expectedStart)) {
            throw new AssertionError("node " + host.name() + " answered " + r + " instead of " + expectedStart
                    + "; alive=" + process.isAlive() + "; log tail:\n" + logTail());
        }
        return r;
    }

    /** Sends one command and returns its answer (without the {@code @@ } marker). */
    public String ask(String command, Duration timeout) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            return await(timeout, command.split(" ")[0].equals("APPEND") ? "APPENDED" : command.split(" ")[0]);
        } catch (IOException e) {
            throw new AssertionError("node " + host.name() + " is gone; log tail:\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    public String ask(String command) {
        return ask(command, Duration.ofSeconds(120));
    }

    /** {@code <id hex>@host:port}, for another node's seeds. */
    public String seed() {
        return id + "@" + address;
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    public NetLab.Host host() {
        return host;
    }

    /** events, feeds, connected peers. */
    public long[] status() {
        String[] f = ask("STATUS").split(" ");
        return new long[]{Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("node.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
