package org.council.bridge.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.council.bridge.RequesterId;

/**
 * A deterministic discrete-event simulation of the {@link FairQueue} on a {@link VirtualClock}:
 * three classes of requesters (high karma, low karma, unknown) send Poisson traffic at
 * {@code overload} times what the slots can serve, each request generating 64..512 tokens at a
 * fixed token rate; after the arrival phase the queue drains. Shared by the scheduler test and
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
                    lowShare, highRequesters,
                    highKarma, lowRequesters, lowKarma, unknownRequesters, seed);
        }
    }

    /** Requester class. */
    public enum Klass { HIGH, LOW, UNKNOWN }

    /** Per-class figures, waits in seconds. */
    public record ClassOutcome(int offered, int served, int rejected, double p50Wait, double p99Wait,
            double maxWait) {
    }

    /**
     * The outcome. {@code starved} counts admitted requests never served or served after more
     * than {@code waitBoundSeconds}, the documented worst-case wait for this scenario.
     */
    public record Outcome(Map<Klass, ClassOutcome> classes, int starved, double waitBoundSeconds) {

        public ClassOutcome of(Klass k) {
            return classes.get(k);
        }
    }

    private record Arrival(long nanos, RequesterId requester, Klass klass, int tokens) {
    }

    private record Completion(long nanos) {
    }

    private static final String LANE = "model";
    private static final int MIN_TOKENS = 64;
    private static final int MAX_TOKENS = 512;

    private SchedulerSimulation() {
    }

    public static Outcome run(Scenario s) {
        VirtualClock clock = new VirtualClock();
        Map<RequesterId, Klass> classOf = new HashMap<>();
        Map<RequesterId, Double> karma = new HashMap<>();
        register(classOf, karma, "high", s.highRequesters(), Klass.HIGH, s.highKarma());
        register(classOf, karma, "low", s.lowRequesters(), Klass.LOW, s.lowKarma());
        register(classOf, karma, "unknown", s.unknownRequesters(), Klass.UNKNOWN, 0);
        FairQueue<Arrival> queue = new FairQueue<>(s.config(), r -> karma.getOrDefault(r, 0.0), clock);
        queue.serviceSlots(s.slots());
        List<Arrival> arrivals = arrivals(s, classOf);
        double maxService = MAX_TOKENS / s.tokensPerSecond();
        double bound = waitBound(s.config(), maxService, s.slots());

        Map<Klass, List<Double>> waits = new HashMap<>();
        Map<Klass, int[]> counts = new HashMap<>(); // offered, rejected
        for (Klass k : Klass.values()) {
            waits.put(k, new ArrayList<>());
            counts.put(k, new int[2]);
        }
        PriorityQueue<Completion> running = new PriorityQueue<>((a, b) -> Long.compare(a.nanos(), b.nanos()));
        int free = s.slots();
        int next = 0;
        int starved = 0;
        int admitted = 0;
        int served = 0;
        while (next < arrivals.size() || !running.isEmpty()) {
            long arrivalAt = next < arrivals.size() ? arrivals.get(next).nanos() : Long.MAX_VALUE;
            if (!running.isEmpty() && running.peek().nanos() <= arrivalAt) {
                clock.advanceTo(running.poll().nanos());
                free++;
            } else {
                Arrival a = arrivals.get(next++);
                clock.advanceTo(a.nanos());
                counts.get(a.klass())[0]++;
                Admission<Arrival> adm = queue.offer(a.requester(), LANE, s.config().cost(a.tokens()), a);
                if (adm instanceof Admission.Admitted<Arrival> ok) {
                    admitted++;
                    if (ok.evicted().isPresent()) {
                        admitted--;
                        counts.get(ok.evicted().get().payload().klass())[1]++;
                    }
                } else {
                    counts.get(a.klass())[1]++;
                }
            }
            Ticket<Arrival> t;
            while (free > 0 && (t = queue.poll(List.of(LANE))) != null) {
                free--;
                served++;
                long service = Math.round(t.payload().tokens() / s.tokensPerSecond() * 1e9);
                queue.recordService(service);
                double wait = (clock.getAsLong() - t.enqueuedNanos()) / 1e9;
                waits.get(t.payload().klass()).add(wait);
                if (wait > bound) {
                    starved++;
                }
                running.add(new Completion(clock.getAsLong() + service));
            }
        }
        starved += admitted - served;
        Map<Klass, ClassOutcome> out = new HashMap<>();
        for (Klass k : Klass.values()) {
            double[] w = waits.get(k).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            out.put(k, new ClassOutcome(counts.get(k)[0], w.length, counts.get(k)[1],
                    percentile(w, 0.50), percentile(w, 0.99), w.length == 0 ? 0 : w[w.length - 1]));
        }
        return new Outcome(Map.copyOf(out), starved, bound);
    }

    /**
     * The worst-case wait the scheduler guarantees (docs/inference-bridge.md): after
     * {@code maxAge} a request is overdue and only older overdue requests, at most the whole
     * queue, are served before it.
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
    private static List<Arrival> arrivals(Scenario s, Map<RequesterId, Klass> classOf) {
        double meanService = (MIN_TOKENS + MAX_TOKENS) / 2.0 / s.tokensPerSecond();
        double totalRate = s.overload() * s.slots() / meanService;
        Map<Klass, Integer> members = Map.of(Klass.HIGH, s.highRequesters(), Klass.LOW, s.lowRequesters(),
                Klass.UNKNOWN, s.unknownRequesters());
        Map<Klass, Double> shares = Map.of(Klass.HIGH, s.highShare(), Klass.LOW, s.lowShare(),
                Klass.UNKNOWN, Math.max(0, 1 - s.highShare() - s.lowShare()));
        SplittableRandom random = new SplittableRandom(s.seed());
        List<Arrival> all = new ArrayList<>();
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
                all.add(new Arrival(Math.round(t * 1e9), id, k, random.nextInt(MIN_TOKENS, MAX_TOKENS + 1)));
            }
        }
        all.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        return all;
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
            sb.append(String.format(java.util.Locale.ROOT, "%s offered=%d served=%d rejected=%d p50=%.1fs p99=%.1fs max=%.1fs; ",
                    k, c.offered(), c.served(), c.rejected(), c.p50Wait(), c.p99Wait(), c.maxWait()));
        }
        return sb.append(String.format(java.util.Locale.ROOT, "starved=%d bound=%.0fs", o.starved(),
                o.waitBoundSeconds())).toString();
    }
}
