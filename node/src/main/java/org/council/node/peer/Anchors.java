package org.council.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Anchors, after Bitcoin Core's: a few outbound peers that worked, saved when the node stops and
 * dialled first (once) at the next start, so an attacker who filled the address book while the node
 * was down does not choose all its first peers. The file ({@code DataDir#anchorsFile}) holds one
 * {@code <node id hex>@host:port} per line and is deleted once read, so a node that keeps crashing
 * does not keep dialling the same peers. Async file I/O: safe to call from the peer context.
 */
final class Anchors {

    private static final System.Logger LOG = System.getLogger(Anchors.class.getName());

    private final Vertx vertx;
    private final Path file;

    /** @param file null: anchors are not kept */
    Anchors(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
    }

    /** The saved anchors (unreadable lines skipped), the file then deleted; empty when there is none. */
    Future<List<SeedAddress>> load() {
        if (file == null) {
            return Future.succeededFuture(List.of());
        }
        String path = file.toString();
        return vertx.fileSystem().exists(path).compose(exists -> !exists ? Future.succeededFuture(List.<SeedAddress>of())
                : vertx.fileSystem().readFile(path).map(Anchors::parse)
                        .compose(list -> vertx.fileSystem().delete(path).map(list)))
                .recover(err -> {
                    LOG.log(System.Logger.Level.WARNING, "anchors file " + path + " not read: " + err.getMessage());
                    return Future.succeededFuture(List.of());
                });
    }

    /** Saves {@code anchors} ({@code id@host:port}); failure is logged, never fatal. */
    Future<Void> save(List<String> anchors) {
        if (file == null || anchors.isEmpty()) {
            return Future.succeededFuture();
        }
        return vertx.fileSystem().writeFile(file.toString(), Buffer.buffer(String.join("\n", anchors) + "\n"))
                .recover(err -> {
                    LOG.log(System.Logger.Level.WARNING, "anchors not saved to " + file + ": " + err.getMessage());
                    return Future.succeededFuture();
                });
    }

    static List<SeedAddress> parse(Buffer text) {
        List<SeedAddress> out = new ArrayList<>();
        for (String line : text.toString(StandardCharsets.UTF_8).split("\n")) {
            try {
                if (!line.isBlank() && out.size() < 16) {
                    out.add(SeedAddress.parse(line));
                }
            } catch (IllegalArgumentException e) {
                // a hand-edited or truncated line: skip it
            }
        }
        return out;
    }
}
