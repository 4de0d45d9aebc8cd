package org.council.bridge.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.council.bridge.RequesterId;

/**
 * A deterministic discrete-event simulation of the {@link FairQueue} on a {@link VirtualClock}:
 * three classes of requesters (high karma, low karma, unknown) send Poisson traffic at
 * {@code overload} times what the slots can serve, each request generating 64..512 tokens at a
 * fixed token rate. Clients behave like real ones: a request answered {@code OVERLOADED} (refused
 * at admission or pushed out of the queue) is sent again after the scheduler's retry-after hint
 * plus up to 10% seeded jitter, until it is admitted. A request's wait runs from its first
 * submission to the start of its service, so time spent being refused counts as waiting. Arrivals
 * stop after {@code durationSeconds}; the run then goes on until every request has been served,
 * or until {@link Scenario#horizonSeconds()} so that a scheduler bug cannot loop forever.
 * Test code, published in the bridge's test-jar: shared by the scheduler test and
 * {@code scripts/bench scheduler}. Not thread-safe; every run with the same scenario gives the
 * same outcome.
 */
public final class SchedulerSimulation {

    /** The traffic to simulate. */
    public record Scenario(
            SchedulerConfig config,
            int slots,
            double tokensPerSecond,
            double overload,
            long durationSeconds,
            double highShare,
            double lowShare,
            int highRequesters,
            double highKarma,
            int lowRequesters,
            double lowKarma,
            int unknownRequesters,
            long seed) {

        /**
         * 5x overload for 4 virtual hours on 2 slots at 40 tokens/s: 4 high-karma requesters
         * (karma 8) send 10% of the traffic, 8 low-karma (karma 1) 30%, 16 unknown (karma 0) 60%.
         */
        public static Scenario standard() {
            return new Scenario(SchedulerConfig.defaults(), 2, 40, 5.0, 4 * 3600, 0.1, 0.3, 4, 8, 8, 1, 16, 42);
        }

        public Scenario withConfig(SchedulerConfig newConfig) {
            return new Scenario(newConfig, slots, tokensPerSecond, overload, durationSeconds, highShare,
                    lowShare, highRequesters, highKarma, lowRequesters, lowKarma, unknownRequesters, seed);
        }

        /** The same traffic with other karma for the high and low classes (unknown stays at 0). */
        public Scenario withKarma(double high, double low) {
            return new Scenario(config, slots, tokensPerSecond, overload, durationSeconds, highShare,
                    lowShare, highRequesters, high, lowRequesters, low, unknownRequesters, seed);
        }

        /**
         * The hard cap on simulated time. Serving all offered work takes about
         * {@code overload * durationSeconds}; the cap allows three times that after the arrivals.
         */
        public long horizonSeconds() {
            return Math.round(durationSeconds * (1 + 3 * overload));
        }
    }

    /** Requester class. */
    public enum Klass { HIGH, LOW, UNKNOWN }

    /**
     * Per-class figures: requests offered (first submissions), served, {@code OVERLOADED} answers
     * (each followed by a retry), and waits from first submission to start of service, in seconds.
     */
    public record ClassOutcome(int offered, int served, int retries, double p50Wait, double p99Wait,
            double maxWait) {
    }

    /**
     * The outcome. {@code starved} counts requests never served by the horizon (must be 0).
     * {@code maxQueueWaitSeconds} is the longest time an admitted request spent in the queue,
     * which the scheduler bounds by {@code waitBoundSeconds} (docs/inference-bridge.md);
     * {@code endSeconds} is when the last request started service.
     */
    public record Outcome(Map<Klass, ClassOutcome> classes, int starved, double maxQueueWaitSeconds,
            double waitBoundSeconds, double endSeconds) {

        public ClassOutcome of(Klass k) {
            return classes.get(k);
        }

        public int retries() {
            return classes.values().stream().mapToInt(ClassOutcome::retries).sum();
        }
    }

    private record Request(int id, RequesterId requester, Klass klass, int tokens, long firstNanos) {
    }

    /**
     * Pending retries as a binary min-heap of (time, request id) in two primitive arrays: a run
     * makes millions of retries and an object heap spends most of its time chasing pointers. A
     * request has at most one retry pending, so the heap never holds more than all requests.
     */
    private static final class RetryHeap {
        private final long[] nanos;
        private final int[] ids;
        private int size;

        RetryHeap(int capacity) {
            nanos = new long[capacity];
            ids = new int[capacity];
        }

        boolean isEmpty() {
            return size == 0;
        }

        long peekNanos() {
            return nanos[0];
        }

        void add(long at, int id) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(at, id, nanos[parent], ids[parent])) {
                    break;
                }
                nanos[i] = nanos[parent];
                ids[i] = ids[parent];
                i = parent;
            }
            nanos[i] = at;
            ids[i] = id;
        }

        int poll() {
            int top = ids[0];
            long at = nanos[--size];
            int id = ids[size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && before(nanos[child + 1], ids[child + 1], nanos[child], ids[child])) {
                    child++;
                }
                if (!before(nanos[child], ids[child], at, id)) {
                    break;
                }
                nanos[i] = nanos[child];
                ids[i] = ids[child];
                i = child;
            }
            nanos[i] = at;
            ids[i] = id;
            return top;
        }

        private static boolean before(long a, int aId, long b, int bId) {
            return a < b || (a == b && aId < bId);
        }
    }

    private static final String LANE = "model";
    private static final List<String> LANES = List.of(LANE);
    private static final int MIN_TOKENS = 64;
    private static final int MAX_TOKENS = 512;
    private static final double MAX_JITTER = 0.1;

    private SchedulerSimulation() {
    }

    public static Outcome run(Scenario s) {
        return new Run(s).run();
    }

    /** The mutable state of one run. */
    private static final class Run {
        final Scenario s;
        final VirtualClock clock = new VirtualClock();
        final FairQueue<Request> queue;
        final List<Request> arrivals;
        final RetryHeap retries;
        final PriorityQueue<Long> running = new PriorityQueue<>();
        final SplittableRandom jitter;
        final Map<Klass, List<Double>> waits = new EnumMap<>(Klass.class);
        final Map<Klass, int[]> counts = new EnumMap<>(Klass.class); // offered, retries
        long maxQueueWaitNanos;
        long lastStartNanos;

        Run(Scenario s) {
            this.s = s;
            Map<RequesterId, Klass> classOf = new HashMap<>();
            Map<RequesterId, Double> karma = new HashMap<>();
            register(classOf, karma, "high", s.highRequesters(), Klass.HIGH, s.highKarma());
            register(classOf, karma, "low", s.lowRequesters(), Klass.LOW, s.lowKarma());
            register(classOf, karma, "unknown", s.unknownRequesters(), Klass.UNKNOWN, 0);
            this.queue = new FairQueue<>(s.config(), r -> karma.getOrDefault(r, 0.0), clock);
            queue.serviceSlots(s.slots());
            this.arrivals = arrivals(s, classOf);
            this.retries = new RetryHeap(arrivals.size());
            this.jitter = new SplittableRandom(s.seed() ^ 0x9E3779B97F4A7C15L);
            for (Klass k : Klass.values()) {
                waits.put(k, new ArrayList<>());
                counts.put(k, new int[2]);
            }
        }

        Outcome run() {
            long horizon = s.horizonSeconds() * 1_000_000_000L;
            int free = s.slots();
            int next = 0;
            while (true) {
                long arrivalAt = next < arrivals.size() ? arrivals.get(next).firstNanos() : Long.MAX_VALUE;
                long retryAt = retries.isEmpty() ? Long.MAX_VALUE : retries.peekNanos();
                long doneAt = running.isEmpty() ? Long.MAX_VALUE : running.peek();
                long now = Math.min(arrivalAt, Math.min(retryAt, doneAt));
                if (now == Long.MAX_VALUE || now > horizon) {
                    break;
                }
                clock.advanceTo(now);
                if (doneAt == now) {
                    running.poll();
                    free++;
                } else if (arrivalAt == now) {
                    Request r = arrivals.get(next++);
                    counts.get(r.klass())[0]++;
                    offer(r);
                } else {
                    offer(arrivals.get(retries.poll()));
                }
                Ticket<Request> t;
                while (free > 0 && (t = queue.poll(LANES)) != null) {
                    free--;
                    start(t);
                }
            }
            return outcome();
        }

        private void offer(Request r) {
            Admission<Request> a = queue.offer(r.requester(), LANE, s.config().cost(r.tokens()), r);
            if (a instanceof Admission.Rejected<Request> rejected) {
                retryLater(r, rejected.retryAfter().toNanos());
            } else if (a instanceof Admission.Admitted<Request> ok && ok.evicted().isPresent()) {
                Ticket<Request> evicted = ok.evicted().get();
                retryLater(evicted.payload(), queue.retryAfterWhenFull().toNanos());
            }
        }

        private void retryLater(Request r, long hintNanos) {
            counts.get(r.klass())[1]++;
            long delay = hintNanos + Math.round(hintNanos * MAX_JITTER * jitter.nextDouble());
            retries.add(clock.getAsLong() + delay, r.id());
        }

        private void start(Ticket<Request> t) {
            long now = clock.getAsLong();
            long service = Math.round(t.payload().tokens() / s.tokensPerSecond() * 1e9);
            queue.recordService(service);
            waits.get(t.payload().klass()).add((now - t.payload().firstNanos()) / 1e9);
            maxQueueWaitNanos = Math.max(maxQueueWaitNanos, now - t.enqueuedNanos());
            lastStartNanos = now;
            running.add(now + service);
        }

        private Outcome outcome() {
            Map<Klass, ClassOutcome> out = new EnumMap<>(Klass.class);
            int starved = 0;
            for (Klass k : Klass.values()) {
                double[] w = waits.get(k).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                int[] c = counts.get(k);
                starved += c[0] - w.length;
                out.put(k, new ClassOutcome(c[0], w.length, c[1], percentile(w, 0.50), percentile(w, 0.99),
                        w.length == 0 ? 0 : w[w.length - 1]));
            }
            double bound = waitBound(s.config(), MAX_TOKENS / s.tokensPerSecond(), s.slots());
            return new Outcome(Map.copyOf(out), starved, maxQueueWaitNanos / 1e9, bound, lastStartNanos / 1e9);
        }
    }

    /**
     * The worst-case time in the queue the scheduler guarantees an admitted request
     * (docs/inference-bridge.md): after {@code maxAge} a request is overdue and only older overdue
     * requests, at most the whole queue, are served before it.
     */
    public static double waitBound(SchedulerConfig c, double maxServiceSeconds, int slots) {
        return c.maxAge().toNanos() / 1e9 + Math.ceil((double) c.maxWaiting() / slots) * maxServiceSeconds;
    }

    private static void register(Map<RequesterId, Klass> classOf, Map<RequesterId, Double> karma, String prefix,
            int n, Klass k, double value) {
        for (int i = 0; i < n; i++) {
            RequesterId id = RequesterId.of(prefix + "-" + i);
            classOf.put(id, k);
            karma.put(id, value);
        }
    }

    /** Poisson arrivals, each class sending its share of the traffic, split evenly among its members. */
    private static List<Request> arrivals(Scenario s, Map<RequesterId, Klass> classOf) {
        double meanService = (MIN_TOKENS + MAX_TOKENS) / 2.0 / s.tokensPerSecond();
        double totalRate = s.overload() * s.slots() / meanService;
        Map<Klass, Integer> members = Map.of(Klass.HIGH, s.highRequesters(), Klass.LOW, s.lowRequesters(),
                Klass.UNKNOWN, s.unknownRequesters());
        Map<Klass, Double> shares = Map.of(Klass.HIGH, s.highShare(), Klass.LOW, s.lowShare(),
                Klass.UNKNOWN, Math.max(0, 1 - s.highShare() - s.lowShare()));
        SplittableRandom random = new SplittableRandom(s.seed());
        List<Request> all = new ArrayList<>();
        List<RequesterId> ids = new ArrayList<>(classOf.keySet());
        ids.sort((a, b) -> a.value().compareTo(b.value()));
        for (RequesterId id : ids) {
            Klass k = classOf.get(id);
            double rate = totalRate * shares.get(k) / members.get(k);
            double t = 0;
            while (true) {
                t += -Math.log(1 - random.nextDouble()) / rate;
                if (t >= s.durationSeconds()) {
                    break;
                }
                all.add(new Request(0, id, k, random.nextInt(MIN_TOKENS, MAX_TOKENS + 1), Math.round(t * 1e9)));
            }
        }
        all.sort(Comparator.comparingLong(Request::firstNanos));
        List<Request> numbered = new ArrayList<>(all.size());
        for (Request r : all) {
            numbered.add(new Request(numbered.size(), r.requester(), r.klass(), r.tokens(), r.firstNanos()));
        }
        return numbered;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** A one-line summary, for logs. */
    public static String describe(Outcome o) {
        StringBuilder sb = new StringBuilder();
        for (Klass k : Klass.values()) {
            ClassOutcome c = o.of(k);
            sb.append(String.format(Locale.ROOT,
                    "%s offered=%d served=%d retries=%d p50=%.1fs p99=%.1fs max=%.1fs; ",
                    k, c.offered(), c.served(), c.retries(), c.p50Wait(), c.p99Wait(), c.maxWait()));
        }
        return sb.append(String.format(Locale.ROOT, "starved=%d max_queue_wait=%.0fs bound=%.0fs end=%.0fs",
                o.starved(), o.maxQueueWaitSeconds(), o.waitBoundSeconds(), o.endSeconds())).toString();
    }
}
