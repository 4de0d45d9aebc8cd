package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** ledger verify and ledger export: through the API, offline, from a file, and over tampered data. */
class LedgerCommandsTest {

    /** More than one page of the audit API (1,000 events), so paging is exercised. */
    private static final int OWN_EVENTS = 1_200;

    @TempDir
    Path dir;

    private Node startWithEvents(Path data, int ownEvents) {
        Node node = Node.start(NodeConfig.local(data));
        List<CompletableFuture<?>> appends = new ArrayList<>();
        for (int i = 0; i < ownEvents; i++) {
            appends.add(node.store().append(FeedBuilder.capabilities("model-" + i)));
        }
        appends.forEach(CompletableFuture::join);
        FeedBuilder foreign = FeedBuilder.random();
        for (int i = 0; i < 3; i++) {
            foreign.next(FeedBuilder.capabilities("foreign-" + i));
        }
        assertThat(node.store().ingest(foreign.envelopes()).join()).allMatch(IngestOutcome::accepted);
        return node;
    }

    @Test
    void verifyAndExportAgreeThroughTheApiOfflineAndFromAFile() throws Exception {
        Path data = dir.resolve("node");
        Node node = startWithEvents(data, OWN_EVENTS);
        long events = node.store().eventCount();
        String foreign = node.store().heads().stream().map(h -> h.author()).filter(a -> !a.equals(node.id()))
                .findFirst().orElseThrow().hex();
        Path viaApi = dir.resolve("api.jsonl");
        try {
            CliRun verify = CliRun.of("ledger", "verify", "--api", node.apiUrl());
            assertThat(verify.exit()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains(String.format("verified 2 feeds, %,d events from %s: ok", events, node.apiUrl()));

            CliRun export = CliRun.of("ledger", "export", "--api", node.apiUrl(), "--out", viaApi.toString());
            assertThat(export.exit()).as(export.toString()).isZero();
            assertThat(export.err()).contains("exported " + events + " events of 2 feeds");
            assertThat(Files.readAllLines(viaApi)).hasSize((int) events);

            CliRun busy = CliRun.of("ledger", "verify", "--data-dir", data.toString());
            assertThat(busy.exit()).isEqualTo(ExitCode.FAILED);
            assertThat(busy.err()).contains("in use by a running node").contains("--api");
        } finally {
            node.stop();
        }

        CliRun offline = CliRun.of("ledger", "verify", "--data-dir", data.toString(), "--json");
        assertThat(offline.exit()).as(offline.toString()).isZero();
        JsonObject report = new JsonObject(offline.out().strip());
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getLong("feeds")).isEqualTo(2);
        assertThat(report.getLong("events")).isEqualTo(events);

        CliRun file = CliRun.of("ledger", "verify", "--file", viaApi.toString());
        assertThat(file.exit()).as(file.toString()).isZero();
        assertThat(file.out()).contains(String.format("verified 2 feeds, %,d events", events)).endsWith(": ok\n");

        // the offline export renders exactly what the API served
        CliRun exportOffline = CliRun.of("ledger", "export", "--data-dir", data.toString());
        assertThat(exportOffline.exit()).as(exportOffline.err()).isZero();
        assertThat(exportOffline.out().lines().toList()).isEqualTo(Files.readAllLines(viaApi));

        CliRun one = CliRun.of("ledger", "export", "--data-dir", data.toString(), "--author", foreign);
        assertThat(one.out().lines().map(l -> new JsonObject(l).getString("author")).toList())
                .containsExactly(foreign, foreign, foreign);
    }

    @Test
    void aTamperedExportFileIsReportedLineByLine() throws Exception {
        Node node = startWithEvents(dir.resolve("node"), 5);
        String id = node.id().hex();
        Path file = dir.resolve("export.jsonl");
        try {
            assertThat(CliRun.of("ledger", "export", "--api", node.apiUrl(), "--out", file.toString()).exit()).isZero();
        } finally {
            node.stop();
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int first = 0;
        while (!new JsonObject(lines.get(first)).getString("author").equals(id)) {
            first++;
        }
        // own feed: seq 2's signature forged, seq 3's JSON lies about its time, seq 5 left out
        lines.set(first + 1, flipSignature(new JsonObject(lines.get(first + 1))).encode());
        lines.set(first + 2, new JsonObject(lines.get(first + 2)).put("timestamp_ms", 1).encode());
        lines.remove(first + 4);
        Files.write(file, lines);

        CliRun r = CliRun.of("ledger", "verify", "--file", file.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        String feed = "feed " + id;
        assertThat(r.out()).contains(feed + " seq 2: signature does not verify")
                .contains(feed + " seq 2: the JSON's id, signature disagree with the signed bytes")
                .contains(feed + " seq 3: prev is not the id of the previous event")
                .contains(feed + " seq 3: the JSON's timestamp_ms disagrees with the signed bytes")
                .contains(feed + " seq 6: expected seq 5")
                .contains(": 5 problems");
    }

    @Test
    void aNodeServingTamperedBytesIsCaughtThroughTheApi() throws Exception {
        Node node = startWithEvents(dir.resolve("node"), 5);
        String id = node.id().hex();
        JsonObject feeds;
        java.util.Map<String, JsonArray> pages = new java.util.HashMap<>();
        try {
            ApiClient api = new ApiClient(node.apiUrl(), null, null);
            feeds = api.get("/feeds");
            for (Object f : feeds.getJsonArray("feeds")) {
                String author = ((JsonObject) f).getString("author");
                pages.put(author, api.get("/feeds/" + author + "/events?from=1&limit=1000").getJsonArray("events"));
            }
        } finally {
            node.stop();
        }
        JsonArray events = pages.get(id);
        // a lying node: a forged signature on event 3, and it claims one more event than it serves
        events.set(2, flipSignature(events.getJsonObject(2)));
        for (Object f : feeds.getJsonArray("feeds")) {
            JsonObject feed = (JsonObject) f;
            if (feed.getString("author").equals(id)) {
                feed.put("head_seq", feed.getLong("head_seq") + 1);
            }
        }
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/api/v1/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            String author = path.replaceAll("^/api/v1/feeds/([0-9a-f]+)/events$", "$1");
            JsonObject body = path.equals("/api/v1/feeds") ? feeds
                    : pages.containsKey(author) && query.startsWith("from=1&")
                    ? new JsonObject().put("events", pages.get(author)) : new JsonObject().put("events", new JsonArray());
            byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        fake.start();
        try {
            String url = "http://127.0.0.1:" + fake.getAddress().getPort() + "/api/v1";
            CliRun r = CliRun.of("ledger", "verify", "--api", url);
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(r.out()).contains("feed " + id + " seq 3: signature does not verify")
                    .contains("feed " + id + " seq 3: the JSON's id, signature disagree with the signed bytes")
                    .contains("feed " + id + " seq 4: prev is not the id of the previous event")
                    .containsPattern("feed " + id + ": listed with head seq (\\d+) but its events end at seq \\d+")
                    .contains(": 4 problems");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aCorruptedStoreIsReportedOffline() throws Exception {
        Path data = dir.resolve("node");
        Node node = startWithEvents(data, 8);
        String id = node.id().hex();
        byte[] firstOwnEvent = java.nio.ByteBuffer.allocate(40).put(node.id().bytes()).putLong(1).array();
        node.stop();
        corruptEvent(data.resolve("ledger"), firstOwnEvent);
        CliRun r = CliRun.of("ledger", "verify", "--data-dir", data.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        // the flipped bit changes the event's id too, so seq 2 no longer links to it
        assertThat(r.out()).contains(": 2 problems\n").contains("feed " + id + " seq 1: signature does not verify")
                .contains("feed " + id + " seq 2: prev is not the id of the previous event");
    }

    @Test
    void aLedgerThatDoesNotEvenOpenIsReportedAsAProblem() throws Exception {
        Path data = dir.resolve("node");
        Node node = startWithEvents(data, 8);
        long head = node.store().head(node.id()).orElseThrow().seq();
        byte[] lastOwnEvent = java.nio.ByteBuffer.allocate(40).put(node.id().bytes()).putLong(head).array();
        node.stop();
        corruptEvent(data.resolve("ledger"), lastOwnEvent);
        CliRun r = CliRun.of("ledger", "verify", "--data-dir", data.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.out()).contains(": 1 problem\n").contains("is damaged").contains("seq " + head);
    }

    private static JsonObject flipSignature(JsonObject event) {
        byte[] envelope = Base64.getDecoder().decode(event.getString("signed_event"));
        envelope[envelope.length - 1] ^= 1;
        return event.copy().put("signed_event", Base64.getEncoder().encodeToString(envelope));
    }

    // Flips a signature bit of a stored event (key: author, seq big-endian); seq 1 of a long feed
    // is deeper than the store's tail check on open, so only a full audit finds it.
    private static void corruptEvent(Path ledger, byte[] key) throws Exception {
        RocksDB.loadLibrary();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (org.rocksdb.Options o = new org.rocksdb.Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(o, ledger.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.open(options, ledger.toString(), descriptors, handles)) {
            ColumnFamilyHandle events = null;
            for (int i = 0; i < descriptors.size(); i++) {
                if (new String(descriptors.get(i).getName(), StandardCharsets.US_ASCII).equals("events")) {
                    events = handles.get(i);
                }
            }
            assertThat(events).isNotNull();
            byte[] value = db.get(events, key);
            assertThat(value).isNotNull();
            value[value.length - 1] ^= 1;
            db.put(events, key, value);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
