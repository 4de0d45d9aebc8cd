package org.council.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop audit load on a node: {@code clients} threads, each asking for a page of 100
 * events of a random feed from a random position as soon as its previous page has arrived. It is
 * there to make the node serve reads (buffers, JSON, RocksDB block cache) while its memory is
 * measured, not to measure read throughput (the api suite does that).
 *
 * <p>Thread-safe counters; {@link #close()} stops the threads and waits for them.
 */
final class AuditReaders implements AutoCloseable {

    private static final int PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Feed(String author, long head) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final List<Feed> feeds = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;

    /** Lists the node's feeds, then starts the readers. */
    AuditReaders(String apiBase, int clients) throws IOException, InterruptedException {
        this.base = apiBase;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/feeds")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode f : JSON.readTree(r.body()).path("feeds")) {
            if (f.path("head_seq").asLong() > PAGE) {
                feeds.add(new Feed(f.path("author").asText(), f.path("head_seq").asLong()));
            }
        }
        if (feeds.isEmpty()) {
            throw new IOException("the node lists no feed to read: " + r.body());
        }
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(this::loop, "audit-reader-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            Feed f = feeds.get(random.nextInt(feeds.size()));
            long from = 1 + random.nextLong(f.head() - PAGE + 1);
            URI uri = URI.create(base + "/feeds/" + f.author() + "/events?from=" + from + "&limit=" + PAGE);
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                (r.statusCode() == 200 ? ok : errors).incrementAndGet();
            } catch (IOException e) {
                errors.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long ok() {
        return ok.get();
    }

    long errors() {
        return errors.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
