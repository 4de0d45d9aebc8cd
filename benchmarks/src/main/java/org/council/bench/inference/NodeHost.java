package org.council.bench.inference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on a {@link NodeHostProcess}: a child JVM from the same class path, spoken
 * to one line at a time; its standard error goes to ours. Not thread-safe.
 */
final class NodeHost implements AutoCloseable {

    private final Process process;
    private final BufferedReader replies;
    private final Writer commands;
    private final String ollamaUrl;

    private NodeHost(Process process) throws IOException {
        this.process = process;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        this.ollamaUrl = reply("ready");
    }

    static NodeHost start(List<String> jvmOptions, String mode, String backendUrl, int slots, Path dir)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeHostProcess.class.getName());
        cmd.add(mode);
        cmd.add(backendUrl);
        cmd.add(Integer.toString(slots));
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new NodeHost(p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** The Ollama-compatible endpoint the clients call. */
    String ollamaUrl() {
        return ollamaUrl;
    }

    /** What the node process has used so far. */
    NodeSample sample() {
        try {
            commands.write("sample\n");
            commands.flush();
            return NodeSample.decode(reply("sample"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String reply(String tag) throws IOException {
        for (String line = replies.readLine(); line != null; line = replies.readLine()) {
            if (line.startsWith(tag + " ")) {
                return line.substring(tag.length() + 1).trim();
            }
            System.err.println("[node] " + line);
        }
        throw new IOException("the node process ended before answering '" + tag + "' (its errors are above)");
    }

    @Override
    public void close() throws Exception {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
