package org.council.node.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.council.api.http.EventJson;
import org.council.crypto.NodeId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;
import org.council.node.DataDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code council ledger export}: every event as one JSON line in the audit API's event shape
 * (with the raw signed bytes), feed by feed in seq order, from a running node's API or a stopped
 * node's data directory. {@code council ledger verify --file} re-verifies the output.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write every ledger event as JSON lines (the audit API's event shape, with the signed bytes): "
                + "feed by feed, in seq order.",
                "Reads a running node's API (--api) or a stopped node's data dir (--data-dir, the default). "
                + "`council ledger verify --file` re-verifies the output."})
final class LedgerExportCommand implements Callable<Integer> {

    @Option(names = "--api", paramLabel = "URL",
            description = "Export through a running node's API (its base URL, as `council run` prints it).")
    String api;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Export a stopped node's ledger (default: ~/.council).")
    Path dataDir;

    @Option(names = "--author", paramLabel = "ID", description = "Export only this author's feed (node id, 64 hex).")
    String author;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path out;

    private long feeds;
    private long events;

    @Override
    public Integer call() {
        if (api != null && dataDir != null) {
            throw new CliException(ExitCode.USAGE, "give one of --api and --data-dir");
        }
        NodeId only = null;
        if (author != null) {
            try {
                only = NodeId.fromHex(author.strip());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--author `" + author + "`: " + e.getMessage());
            }
        }
        try (Writer w = out != null ? Files.newBufferedWriter(out, StandardCharsets.UTF_8)
                : new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                    @Override
                    public void close() throws IOException {
                        flush(); // never close standard output
                    }
                }) {
            if (api != null) {
                viaApi(only, w);
            } else {
                offline(only, w);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(ExitCode.FAILED, "cannot write " + (out != null ? out : "standard output") + ": "
                    + e.getMessage());
        }
        System.err.println("exported " + events + " events of " + feeds + " feeds"
                + (out != null ? " to " + out : ""));
        return ExitCode.OK;
    }

    private static void line(Writer w, String json) {
        try {
            w.write(json);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void viaApi(NodeId only, Writer w) {
        ApiFeeds source = new ApiFeeds(new ApiClient(api, null, null));
        List<ApiFeeds.Feed> list = source.list(only);
        Progress progress = Progress.onStderr("exporting", list.stream().mapToLong(ApiFeeds.Feed::headSeq).sum());
        for (ApiFeeds.Feed f : list) {
            source.pages(f, page -> {
                page.forEach(e -> line(w, e.encode()));
                events += page.size();
                progress.update(events);
            });
            feeds++;
        }
        progress.finish(events);
    }

    private void offline(NodeId only, Writer w) {
        Path dir = DataDir.orDefault(dataDir).root();
        LedgerStore store = OfflineLedger.open(dir);
        try {
            List<FeedHead> heads = store.heads().stream().filter(h -> only == null || h.author().equals(only)).toList();
            if (only != null && heads.isEmpty()) {
                throw new CliException(ExitCode.FAILED, "the ledger in " + dir + " holds no feed of " + only.hex());
            }
            Progress progress = Progress.onStderr("exporting", heads.stream().mapToLong(FeedHead::seq).sum());
            for (FeedHead h : heads) {
                for (long from = 1; from <= h.seq(); ) {
                    int limit = (int) Math.min(ApiFeeds.PAGE, h.seq() - from + 1);
                    long before = events;
                    try (Stream<SignedEvent> page = store.feed(h.author(), from, limit)) {
                        page.forEach(e -> {
                            line(w, EventJson.event(e).toString());
                            events++;
                        });
                    }
                    if (events == before) {
                        break;
                    }
                    from += events - before;
                    progress.update(events);
                }
                feeds++;
            }
            progress.finish(events);
        } finally {
            store.close();
        }
    }
}
