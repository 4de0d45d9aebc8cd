package org.council.node.readmodel;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.SignedEvent;

/**
 * Who serves which model across the whole network, not only the feeds this node holds: the
 * newest signed capabilities announcement per author, whole (so it can be passed on and checked
 * by others), learned from the capabilities gossip and from this node's own commits
 * (docs/protocol.md, "Capabilities gossip").
 *
 * <p>Bounded, because anyone may mint keys and announce: at most {@link Limits#maxAuthors()}
 * authors and {@link Limits#maxBytes()} of envelopes (the oldest timestamp leaves first), at most
 * {@link Limits#maxPerModel()} authors per model name (a random sample of its servers, see {@link #offer};
 * so one name cannot fill the directory, and gossip per model stays bounded), each
 * envelope at most {@link Limits#maxEventBytes()}, and nothing older than {@link Limits#maxAge()}
 * (servers re-announce well within it). It trusts nothing it did not verify: the caller checks the
 * signature before {@link #offer}; {@link #problem} is the rest of the checks.
 *
 * <p>Thread-safe (the peer context writes, the HTTP loops read); every method is short and synchronized.
 */
public final class ModelDirectory {

    /**
     * @param maxAuthors    authors held; beyond, the oldest announcement leaves
     * @param maxPerModel   authors held per model name; a full slot is a reservoir (see {@link #offer})
     * @param maxBytes      envelope bytes held in total; beyond, the oldest leaves
     * @param maxEventBytes largest envelope taken (a handful of models fits in well under 1 KiB)
     * @param maxAge        an announcement older than this (by its signed timestamp) is dropped
     * @param maxSkew       an announcement dated further than this in the future is refused
     */
    public record Limits(int maxAuthors, int maxPerModel, long maxBytes, int maxEventBytes, Duration maxAge,
                         Duration maxSkew) {
        public Limits {
            if (maxAuthors < 1 || maxPerModel < 1 || maxBytes < 1 || maxEventBytes < 1 || maxAge.isNegative()
                    || maxAge.isZero() || maxSkew.isNegative()) {
                throw new IllegalArgumentException("model directory limits must be positive: " + this);
            }
        }

        /** 10,000 authors, 8 per model, 16 MiB, 8 KiB per announcement, 24 h, 10 min ahead. */
        public static Limits defaults() {
            return new Limits(10_000, 8, 16L * 1024 * 1024, 8 * 1024, Duration.ofHours(24), Duration.ofMinutes(10));
        }

        public Limits withMaxAuthors(int n) {
            return new Limits(n, maxPerModel, maxBytes, maxEventBytes, maxAge, maxSkew);
        }

        public Limits withMaxPerModel(int n) {
            return new Limits(maxAuthors, n, maxBytes, maxEventBytes, maxAge, maxSkew);
        }
    }

    /** A node known to serve a model, and where it said it listens (may be empty). */
    public record Server(NodeId node, String address, long timestampMs) {
    }

    private record Entry(SignedEvent event, EventBody.CapabilitiesAnnounced caps) {
        long timestamp() {
            return event.timestampMs();
        }
    }

    private static final Comparator<Entry> OLDEST_FIRST = Comparator.comparingLong(Entry::timestamp)
            .thenComparing(e -> e.event().author().hex());

    private final Limits limits;
    private final Map<NodeId, Entry> byAuthor = new HashMap<>();
    private final TreeSet<Entry> byAge = new TreeSet<>(OLDEST_FIRST);
    private final Map<String, TreeSet<Entry>> byModel = new HashMap<>();
    private long bytes;
    private final Random random;
    // newcomers offered to each model's slot while full: the reservoir's n (dropped with the model)
    private final Map<String, Long> newcomers = new HashMap<>();
    private Predicate<NodeId> keep = id -> false;
    // announcements a full slot drew against or gave up, not news again until their author's next seq: each
    // is drawn once, however many peers pass it on (the most recent maxAuthors, so a flood cannot grow it)
    private final Map<NodeId, Long> passedOver = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Long> eldest) {
            return size() > limits.maxAuthors();
        }
    };

    public ModelDirectory(Limits limits) {
        this(limits, new SecureRandom());
    }

    /** With the randomness of the full slots' draws given (the scale simulation's, seeded). */
    public ModelDirectory(Limits limits, Random random) {
        this.limits = limits;
        this.random = random;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Why {@code e} cannot enter, signature and age aside (not an announcement, too large, or dated
     * in the future); null when it can. Pure.
     */
    public String problem(SignedEvent e, long nowMs) {
        if (e.kind() != EventKind.CAPABILITIES_ANNOUNCED || !(e.body() instanceof EventBody.CapabilitiesAnnounced)) {
            return "not a capabilities announcement";
        }
        if (e.size() > limits.maxEventBytes()) {
            return "announcement of " + e.size() + " bytes, more than " + limits.maxEventBytes();
        }
        if (e.timestampMs() > nowMs + limits.maxSkew().toMillis()) {
            return "announcement dated in the future";
        }
        return null;
    }

    /**
     * Whether {@code e} would be news (worth a signature check): not expired, and newer than what is
     * held of its author. An expired one is not an offence: it may have aged on its way here.
     */
    public synchronized boolean isNews(SignedEvent e, long nowMs) {
        return e.timestampMs() >= nowMs - limits.maxAge().toMillis() && isNews(e.author(), e.seq());
    }

    private boolean isNews(NodeId author, long seq) {
        Entry e = byAuthor.get(author);
        return (e == null || e.event().seq() < seq) && passedOver.getOrDefault(author, 0L) < seq;
    }

    /**
     * Takes a signature-checked announcement; true when it is now held (newer than what was known
     * and within the bounds), false when ignored. Evicts to stay within the bounds; a model's full
     * slot takes a newcomer only by a draw that keeps it a uniform sample ({@link #victims}).
     */
    public synchronized boolean offer(SignedEvent e, long nowMs) {
        if (problem(e, nowMs) != null || !isNews(e, nowMs)) {
            return false;
        }
        expire(nowMs);
        Entry neu = new Entry(e, (EventBody.CapabilitiesAnnounced) e.body());
        List<Entry> victims = victims(neu);
        if (victims == null) {
            passedOver.put(e.author(), e.seq());
            return false;
        }
        victims.forEach(v -> {
            remove(v);
            passedOver.put(v.event().author(), v.event().seq());
        });
        Entry old = byAuthor.get(e.author());
        if (old != null) {
            remove(old);
        }
        byAuthor.put(e.author(), neu);
        byAge.add(neu);
        names(neu.caps()).forEach(m -> byModel.computeIfAbsent(m, k -> new TreeSet<>(OLDEST_FIRST)).add(neu));
        bytes += e.size();
        while (byAuthor.size() > limits.maxAuthors() || bytes > limits.maxBytes()) {
            remove(byAge.first());
        }
        return byAuthor.get(e.author()) == neu;
    }

    /**
     * Whom {@code neu} replaces in the full slots of the models it names (empty: none full, or it
     * is already held there); null when it stays out. A full slot is a reservoir: the n-th
     * newcomer to it enters with probability maxPerModel/n, replacing a holder drawn at random
     * among those {@link #keep} does not protect, so each node keeps a uniform sample of a model's
     * servers (and passes on only what it keeps: gossip per model stays bounded however many serve it)
     * while a Sybil flood can neither pin the slot by arriving first nor push out known-good servers.
     * It must win the draw of every full slot it names: room under another (say, freshly minted) name buys nothing.
     */
    private List<Entry> victims(Entry neu) {
        List<TreeSet<Entry>> full = new ArrayList<>();
        boolean lost = false;
        for (String model : names(neu.caps())) {
            TreeSet<Entry> holders = byModel.get(model);
            Entry held = byAuthor.get(neu.event().author());
            if (holders != null && holders.size() >= limits.maxPerModel() && (held == null || !holders.contains(held))) {
                full.add(holders);
                long n = newcomers.merge(model, 1L, Long::sum) + limits.maxPerModel();
                lost |= random.nextDouble() * n >= limits.maxPerModel();
            }
        }
        if (lost) {
            return null;
        }
        List<Entry> victims = new ArrayList<>();
        for (TreeSet<Entry> holders : full) {
            List<Entry> open = holders.stream().filter(h -> !victims.contains(h) && !keep.test(h.event().author())).toList();
            if (open.isEmpty()) {
                return null; // every holder is known good: a stranger does not displace them
            }
            victims.add(open.get(random.nextInt(open.size())));
        }
        return victims;
    }

    /**
     * Which servers a full model slot never gives up for a newcomer (for example those with
     * positive karma here); none by default.
     */
    public synchronized void keep(Predicate<NodeId> knownGood) {
        this.keep = knownGood;
    }

    /** Non-expired announcements, newest first, at most {@code max}: what a session start sends. */
    public synchronized List<SignedEvent> recent(int max, long nowMs) {
        expire(nowMs);
        List<SignedEvent> out = new ArrayList<>(Math.min(max, byAge.size()));
        for (Iterator<Entry> it = byAge.descendingIterator(); it.hasNext() && out.size() < max; ) {
            out.add(it.next().event());
        }
        return out;
    }

    /** The nodes announcing {@code model}, newest first. */
    public synchronized List<Server> servers(String model, long nowMs) {
        expire(nowMs);
        TreeSet<Entry> holders = byModel.get(model);
        List<Server> out = new ArrayList<>();
        if (holders != null) {
            holders.descendingSet().forEach(e -> out.add(new Server(e.event().author(), e.caps().address(), e.timestamp())));
        }
        return out;
    }

    /** The newest announcement of exactly {@code model} and how many nodes announce it, or null: one lookup. */
    public synchronized Holding holding(String model, long nowMs) {
        expire(nowMs);
        TreeSet<Entry> holders = byModel.get(model);
        return holders == null || holders.isEmpty() ? null : new Holding(holders.last().caps(), holders.size());
    }

    /** What {@link #holding} finds. */
    public record Holding(EventBody.CapabilitiesAnnounced caps, int servers) { }

    /** The announcement of {@code node}, or null. */
    public synchronized EventBody.CapabilitiesAnnounced of(NodeId node, long nowMs) {
        expire(nowMs);
        Entry e = byAuthor.get(node);
        return e == null ? null : e.caps();
    }

    /** Every announcement held, newest first. */
    public synchronized Map<NodeId, EventBody.CapabilitiesAnnounced> all(long nowMs) {
        expire(nowMs);
        Map<NodeId, EventBody.CapabilitiesAnnounced> out = new java.util.LinkedHashMap<>();
        byAge.descendingSet().forEach(e -> out.put(e.event().author(), e.caps()));
        return out;
    }

    /** The signed timestamp of {@code node}'s announcement held, or -1. */
    public synchronized long timestampOf(NodeId node) {
        Entry e = byAuthor.get(node);
        return e == null ? -1 : e.timestamp();
    }

    public synchronized int size() {
        return byAuthor.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int models() {
        return byModel.size();
    }

    private void expire(long nowMs) {
        long cutoff = nowMs - limits.maxAge().toMillis();
        while (!byAge.isEmpty() && byAge.first().timestamp() < cutoff) {
            remove(byAge.first());
        }
    }

    private void remove(Entry e) {
        byAuthor.remove(e.event().author(), e);
        byAge.remove(e);
        for (String model : names(e.caps())) {
            TreeSet<Entry> holders = byModel.get(model);
            if (holders != null && holders.remove(e) && holders.isEmpty()) {
                byModel.remove(model);
                newcomers.remove(model);
            }
        }
        bytes -= e.event().size();
    }

    private static List<String> names(EventBody.CapabilitiesAnnounced caps) {
        return caps.models().stream().map(EventBody.ModelOffer::name).distinct().toList();
    }
}
