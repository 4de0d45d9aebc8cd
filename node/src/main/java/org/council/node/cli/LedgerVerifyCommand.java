package org.council.node.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.council.ledger.store.LedgerAudit;
import org.council.ledger.store.LedgerCorruptedException;
import org.council.ledger.store.LedgerStore;
import org.council.node.DataDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code council ledger verify}: re-verifies every feed from its signed bytes, from a running
 * node's audit API (trusting nothing it says beyond the bytes), from a stopped node's data
 * directory, or from an export file. Exit 1 when anything does not verify.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-verify every feed from the raw signed bytes: signatures, ids (SHA-256 of the signed event), "
                + "seq numbers and prev links.",
                "Reads a running node's API (--api), a stopped node's data dir (--data-dir, the default) or an export "
                + "file (--file). Exit code 1 when a problem is found."})
final class LedgerVerifyCommand implements Callable<Integer> {

    private static final int PRINTED = 50;

    @Option(names = "--api", paramLabel = "URL",
            description = "Verify through a running node's API (its base URL, as `council run` prints it).")
    String api;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Verify a stopped node's ledger (default: ~/.council).")
    Path dataDir;

    @Option(names = "--file", paramLabel = "FILE", description = "Verify a `council ledger export` file (JSON lines).")
    Path file;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    private record Outcome(String source, long feeds, long events, long problemCount, List<String> problems) {
    }

    @Override
    public Integer call() {
        if (Stream.of(api, dataDir, file).filter(x -> x != null).count() > 1) {
            throw new CliException(ExitCode.USAGE, "give one of --api, --data-dir and --file");
        }
        Outcome o = api != null ? viaApi() : file != null ? fromFile() : offline();
        print(o);
        return o.problemCount() == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    private Outcome viaApi() {
        ApiFeeds feeds = new ApiFeeds(new ApiClient(api, null, null));
        List<ApiFeeds.Feed> list = feeds.list(null);
        FeedChecker checker = new FeedChecker();
        Progress progress = Progress.onStderr("verifying", list.stream().mapToLong(ApiFeeds.Feed::headSeq).sum());
        for (ApiFeeds.Feed f : list) {
            feeds.pages(f, page -> {
                checker.check(f.author(), page);
                progress.update(checker.events());
            });
            checker.checkHead(f.author(), f.headSeq(), f.headId());
        }
        progress.finish(checker.events());
        return new Outcome(api, list.size(), checker.events(), checker.problemCount(), checker.problems());
    }

    private Outcome fromFile() {
        long lines;
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            lines = all.filter(l -> !l.isBlank()).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CliException(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
        FeedChecker checker = new FeedChecker();
        Progress progress = Progress.onStderr("verifying", lines);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<JsonObject> batch = new ArrayList<>();
            long number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    batch.add(new JsonObject(line));
                } catch (DecodeException | ClassCastException e) {
                    checker.problem(file + " line " + number + ": not a JSON object");
                }
                if (batch.size() == ApiFeeds.PAGE) {
                    checker.check(null, batch);
                    batch = new ArrayList<>();
                    progress.update(checker.events());
                }
            }
            checker.check(null, batch);
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
        progress.finish(checker.events());
        return new Outcome(file.toString(), checker.feeds(), checker.events(), checker.problemCount(), checker.problems());
    }

    private Outcome offline() {
        Path dir = DataDir.orDefault(dataDir).root();
        LedgerStore store;
        try {
            store = OfflineLedger.open(dir);
        } catch (LedgerCorruptedException e) {
            return new Outcome(dir.toString(), 0, 0, 1, List.of(e.getMessage()));
        }
        try {
            Progress progress = Progress.onStderr("verifying", store.heads().stream().mapToLong(h -> h.seq()).sum());
            LedgerAudit.Report r = new LedgerAudit(store).verifyAll(progress::update);
            progress.finish(r.events());
            List<String> kept = r.problems().size() > FeedChecker.MAX_KEPT
                    ? r.problems().subList(0, FeedChecker.MAX_KEPT) : r.problems();
            return new Outcome(dir.toString(), r.feeds(), r.events(), r.problems().size(), kept);
        } finally {
            store.close();
        }
    }

    private void print(Outcome o) {
        if (json) {
            System.out.println(new JsonObject().put("source", o.source()).put("ok", o.problemCount() == 0)
                    .put("feeds", o.feeds()).put("events", o.events()).put("problem_count", o.problemCount())
                    .put("problems", new JsonArray(new ArrayList<Object>(o.problems()))).encode());
            return;
        }
        String verdict = o.problemCount() == 0 ? "ok"
                : o.problemCount() + " problem" + (o.problemCount() == 1 ? "" : "s");
        System.out.println(String.format(Locale.ROOT, "verified %,d feeds, %,d events from %s: ", o.feeds(), o.events(),
                o.source()) + verdict);
        o.problems().stream().limit(PRINTED).forEach(p -> System.out.println("  " + p));
        if (o.problemCount() > PRINTED) {
            System.out.println("  ... and " + (o.problemCount() - PRINTED) + " more (--json lists up to "
                    + FeedChecker.MAX_KEPT + ")");
        }
    }
}
