package org.council.bench.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on an {@link AuditServerProcess}: a child JVM started from the same class
 * path, spoken to one line at a time. Its standard error goes straight to ours. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader replies;
    private final Writer commands;
    private final int port;
    private final long events;

    private ServerProcess(Process process) throws IOException {
        this.process = process;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        String[] ready = reply("ready");
        this.port = Integer.parseInt(ready[0]);
        this.events = Long.parseLong(ready[1]);
    }

    /** Starts the server over the ledger in {@code ledgerDir}; returns once it listens. */
    static ServerProcess start(List<String> jvmOptions, Path ledgerDir, Path planFile) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AuditServerProcess.class.getName());
        cmd.add(ledgerDir.toString());
        cmd.add(planFile.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new ServerProcess(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long events() {
        return events;
    }

    long pid() {
        return process.pid();
    }

    ProcessStats stats() throws IOException {
        send("stats");
        return ProcessStats.decode(String.join(" ", reply("stats")));
    }

    DirectReads.Result reference(int threads, double seconds, long seed) throws IOException {
        send("reference " + threads + " " + seconds + " " + seed);
        String[] r = reply("reference");
        return new DirectReads.Result(Long.parseLong(r[0]), Double.parseDouble(r[1]), Long.parseLong(r[2]));
    }

    private void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** The fields of the next line starting with {@code tag}; other lines are passed on to stderr. */
    private String[] reply(String tag) throws IOException {
        PrintStream err = System.err;
        for (String line = replies.readLine(); line != null; line = replies.readLine()) {
            if (line.startsWith(tag + " ")) {
                return line.substring(tag.length() + 1).split(" ");
            }
            err.println("[server] " + line);
        }
        throw new IOException("the API server process ended before answering '" + tag + "' (exit "
                + waitExit() + "; its errors are above)");
    }

    private String waitExit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            send("quit");
        } catch (IOException e) {
            // already gone; the exit status below says how
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
