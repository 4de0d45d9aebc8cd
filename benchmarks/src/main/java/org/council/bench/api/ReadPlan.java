package org.council.bench.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;

/**
 * What an auditor reads, drawn at random from what the ledger holds: mostly pages of a feed from
 * a random position, then single events by id, accounts, and the list of feeds. The same plan
 * drives the HTTP load and the direct-store reference, so both do the same reads.
 *
 * <p>Immutable; {@link #next(Random)} is safe from any thread given a per-thread {@link Random}.
 */
final class ReadPlan {

    /** Events per feed page, as a paging auditor asks. */
    static final int PAGE = 100;
    /** The mix, in percent: feed pages, events by id, accounts, the rest the feed list. */
    static final int PAGES = 70;
    static final int EVENTS = 20;
    static final int ACCOUNTS = 8;

    /** One read of the audit mix. */
    sealed interface Read {
        /** The request path under the API base, with its query. */
        String path();
    }

    record FeedPage(NodeId author, long from) implements Read {
        public String path() {
            return "/feeds/" + author.hex() + "/events?from=" + from + "&limit=" + PAGE;
        }
    }

    record EventById(EventId id) implements Read {
        public String path() {
            return "/events/" + id.hex();
        }
    }

    record AccountOf(NodeId id) implements Read {
        public String path() {
            return "/accounts/" + id.hex();
        }
    }

    record Feeds() implements Read {
        public String path() {
            return "/feeds";
        }
    }

    private final List<FeedHead> heads;
    private final List<EventId> ids;

    ReadPlan(List<FeedHead> heads, List<EventId> ids) {
        this.heads = List.copyOf(heads);
        this.ids = List.copyOf(ids);
        if (this.heads.isEmpty() || this.ids.isEmpty()) {
            throw new IllegalArgumentException("a read plan needs feeds and event ids");
        }
    }

    /** Samples {@code idCount} event ids at random positions of the store's feeds of at least a page. */
    static ReadPlan sample(LedgerStore store, int idCount, long seed) {
        List<FeedHead> heads = store.heads().stream().filter(h -> h.seq() > PAGE).toList();
        Random random = new Random(seed);
        List<EventId> ids = new ArrayList<>(idCount);
        while (ids.size() < idCount) {
            FeedHead h = heads.get(random.nextInt(heads.size()));
            long seq = 1 + (long) (random.nextDouble() * h.seq());
            store.event(h.author(), Math.min(seq, h.seq())).map(SignedEvent::id).ifPresent(ids::add);
        }
        return new ReadPlan(heads, ids);
    }

    Read next(Random random) {
        int dice = random.nextInt(100);
        FeedHead h = heads.get(random.nextInt(heads.size()));
        if (dice < PAGES) {
            return new FeedPage(h.author(), 1 + (long) (random.nextDouble() * (h.seq() - PAGE)));
        } else if (dice < PAGES + EVENTS) {
            return new EventById(ids.get(random.nextInt(ids.size())));
        } else if (dice < PAGES + EVENTS + ACCOUNTS) {
            return new AccountOf(h.author());
        }
        return new Feeds();
    }

    List<FeedHead> heads() {
        return heads;
    }

    /** Writes the plan as text: {@code head <author> <seq> <id> <ms>} and {@code id <hex>} lines. */
    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        heads.forEach(h -> lines.add("head " + h.author().hex() + " " + h.seq() + " " + h.id().hex() + " "
                + h.timestampMs()));
        ids.forEach(id -> lines.add("id " + id.hex()));
        Files.write(file, lines);
    }

    static ReadPlan read(Path file) throws IOException {
        List<FeedHead> heads = new ArrayList<>();
        List<EventId> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            if (f[0].equals("head")) {
                heads.add(new FeedHead(NodeId.fromHex(f[1]), Long.parseLong(f[2]), EventId.fromHex(f[3]),
                        Long.parseLong(f[4])));
            } else {
                ids.add(EventId.fromHex(f[1]));
            }
        }
        return new ReadPlan(heads, ids);
    }
}
