package org.council.bridge.scheduler;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.council.bridge.RequesterId;

/**
 * The scheduler core: weighted fair queueing across requesters with a weight floor, ageing, the
 * node's own user first, and bounded size. A pure data structure driven by an injected clock, so
 * a simulation can run it on virtual time.
 *
 * <p>Each requester r has weight {@code w = clamp(karma(r), floor, max)} and a last finish tag
 * {@code F_r}. A request of cost c queued at time t gets {@code S = max(V, F_r)},
 * {@code F = S + c / w} ({@code F_r := F}) and the sort key {@code K = F + a * t} (t in seconds
 * since the queue was built, a = {@code ageingPerSecond}). The virtual time V advances on each
 * dispatch to the dispatched request's start tag, but never past the lowest start tag still
 * waiting. Its effective priority at time now is {@code F - a * (now - t)}: it rises by
 * a per second waited, and since that rise is the same for everyone the order is static, so a
 * sorted set per lane gives O(log n) offers and polls. A request waiting longer than
 * {@code maxAge} is overdue and served before the weighted order, oldest first: a hard bound on
 * every wait. The node's own user
 * ({@link RequesterId#LOCAL}) bypasses the tags and is served first, in arrival order.
 *
 * <p>When the queue is full a newcomer that outranks the lowest-priority waiting ticket pushes it
 * out (the caller answers that one {@code OVERLOADED}); otherwise the newcomer is rejected. A
 * refusal's retry-after hint is the estimated time for the tickets that outrank the refused
 * request to drain, so clients of low-weight requesters are told to come back later, not to poll.
 *
 * <p>Not thread-safe: confine it to one thread or guard it with one lock.
 *
 * @param <T> the payload type
 */
public final class FairQueue<T> {

    private static final double EWMA_ALPHA = 0.2;

    private final SchedulerConfig config;
    private final ToDoubleFunction<RequesterId> karma;
    private final LongSupplier nanoClock;
    private final long originNanos;
    private final Map<String, Lane<T>> lanes = new HashMap<>();
    private final Map<RequesterId, Flow> flows = new HashMap<>();
    private final TreeSet<Ticket<T>> byStart = new TreeSet<>(FairQueue::compareStart);
    private double virtualTime;
    private long nextSeq;
    private int size;
    private double serviceNanos;
    private int serviceSlots = 1;

    /** One model's waiting tickets, in priority order and in arrival order. */
    private static final class Lane<T> {
        final TreeSet<Ticket<T>> byKey = new TreeSet<>(Ticket::compare);
        final LinkedHashSet<Ticket<T>> byArrival = new LinkedHashSet<>();
    }

    /** Per-requester state: last finish tag and number waiting. */
    private static final class Flow {
        double lastFinish;
        int waiting;
    }

    public FairQueue(SchedulerConfig config, ToDoubleFunction<RequesterId> karma, LongSupplier nanoClock) {
        this.config = config;
        this.karma = karma;
        this.nanoClock = nanoClock;
        this.originNanos = nanoClock.getAsLong();
        this.serviceNanos = config.initialServiceTime().toNanos();
    }

    /** Queues a request of {@code cost} units in {@code lane}, or refuses it. */
    public Admission<T> offer(RequesterId requester, String lane, double cost, T payload) {
        long now = nanoClock.getAsLong();
        Flow flow = flows.get(requester);
        int waiting = flow == null ? 0 : flow.waiting;
        boolean local = requester.isLocal();
        double weight = local ? config.maxWeight() : config.weight(karma.applyAsDouble(requester));
        double start = Math.max(virtualTime, flow == null ? 0 : flow.lastFinish);
        double finish = local ? 0 : start + cost / weight;
        double key = finish + config.ageingPerSecond() * (now - originNanos) / 1e9;
        Ticket<T> ticket = new Ticket<>(requester, lane, payload, nextSeq, local, start, finish, key, now);
        if (waiting >= config.maxWaitingPerRequester()) {
            return new Admission.Rejected<>("requester " + requester + " already has " + waiting
                    + " requests waiting (limit " + config.maxWaitingPerRequester() + ")",
                    retryAfterBehind(ticket));
        }
        Optional<Ticket<T>> evicted = Optional.empty();
        if (size >= config.maxWaiting()) {
            Ticket<T> worst = worst();
            if (worst == null || Ticket.compare(ticket, worst) >= 0) {
                return new Admission.Rejected<>("the node's queue is full (" + size + " waiting)",
                        retryAfterWhenFull());
            }
            remove(worst);
            evicted = Optional.of(worst);
            flow = flows.get(requester);
        }
        nextSeq++;
        if (flow == null) {
            flow = new Flow();
            flows.put(requester, flow);
        }
        if (!local) {
            flow.lastFinish = finish;
        }
        flow.waiting++;
        Lane<T> l = lanes.computeIfAbsent(lane, name -> new Lane<>());
        l.byKey.add(ticket);
        l.byArrival.add(ticket);
        if (!local) {
            byStart.add(ticket);
        }
        size++;
        return new Admission.Admitted<>(ticket, evicted);
    }

    /** Removes and returns the highest-priority ticket among {@code laneNames}, or null. */
    public Ticket<T> poll(Collection<String> laneNames) {
        Ticket<T> best = null;
        Ticket<T> oldest = null;
        for (String name : laneNames) {
            Lane<T> lane = lanes.get(name);
            if (lane == null) {
                continue;
            }
            if (best == null || Ticket.compare(lane.byKey.first(), best) < 0) {
                best = lane.byKey.first();
            }
            Ticket<T> head = lane.byArrival.iterator().next();
            if (oldest == null || head.seq() < oldest.seq()) {
                oldest = head;
            }
        }
        if (best != null && !best.local()
                && nanoClock.getAsLong() - oldest.enqueuedNanos() >= config.maxAge().toNanos()) {
            best = oldest; // overdue: served in arrival order, whatever its weight
        }
        if (best != null) {
            detach(best);
            if (!best.local()) {
                // V never passes the start tag of a waiting request: an aged request served early
                // must not push everyone still waiting behind newcomers.
                double floor = byStart.isEmpty() ? best.start() : Math.min(best.start(), byStart.first().start());
                virtualTime = Math.max(virtualTime, floor);
            }
            forgetIdleFlows();
        }
        return best;
    }

    /**
     * Removes a waiting ticket (cancellation). If it was its requester's newest, the requester's
     * finish tag is rolled back so the cancelled work is not charged. False if not waiting.
     */
    public boolean remove(Ticket<T> ticket) {
        Lane<T> lane = lanes.get(ticket.lane());
        if (lane == null || !lane.byArrival.contains(ticket)) {
            return false;
        }
        Flow flow = flows.get(ticket.requester());
        if (flow != null && !ticket.local() && flow.lastFinish == ticket.finish()) {
            flow.lastFinish = ticket.start();
        }
        detach(ticket);
        return true;
    }

    private void detach(Ticket<T> ticket) {
        Lane<T> lane = lanes.get(ticket.lane());
        lane.byKey.remove(ticket);
        lane.byArrival.remove(ticket);
        if (lane.byKey.isEmpty()) {
            lanes.remove(ticket.lane());
        }
        byStart.remove(ticket);
        size--;
        Flow flow = flows.get(ticket.requester());
        flow.waiting--;
    }

    private Ticket<T> worst() {
        Ticket<T> worst = null;
        for (Lane<T> lane : lanes.values()) {
            if (worst == null || Ticket.compare(lane.byKey.last(), worst) > 0) {
                worst = lane.byKey.last();
            }
        }
        return worst;
    }

    private static int compareStart(Ticket<?> a, Ticket<?> b) {
        int c = Double.compare(a.start(), b.start());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    }

    /** Drops per-requester state nobody needs: all of it when idle, else sweeps now and then. */
    private void forgetIdleFlows() {
        if (size == 0) {
            flows.clear();
        } else if (flows.size() > 4 * size + 1024) {
            flows.values().removeIf(f -> f.waiting == 0 && f.lastFinish <= virtualTime);
        }
    }

    /** Feeds the service-time estimate (an exponentially weighted mean) with one finished job. */
    public void recordService(long nanos) {
        serviceNanos = (1 - EWMA_ALPHA) * serviceNanos + EWMA_ALPHA * Math.max(0, nanos);
    }

    /** How many jobs run at once downstream, for wait estimates. */
    public void serviceSlots(int slots) {
        this.serviceSlots = Math.max(1, slots);
    }

    public int size() {
        return size;
    }

    public int waiting(RequesterId requester) {
        Flow flow = flows.get(requester);
        return flow == null ? 0 : flow.waiting;
    }

    /** Waiting tickets per requester (only requesters with at least one). */
    public Map<RequesterId, Integer> waitingPerRequester() {
        Map<RequesterId, Integer> out = new HashMap<>();
        flows.forEach((r, f) -> {
            if (f.waiting > 0) {
                out.put(r, f.waiting);
            }
        });
        return out;
    }

    /** The estimated wait of a request queued now behind everything waiting. */
    public Duration estimatedWait() {
        return Duration.ofNanos(Math.round(serviceNanos * size / serviceSlots));
    }

    /**
     * The retry-after hint for a request refused by, or pushed out of, a full queue: it ranks
     * below everything waiting, so it cannot start before the whole queue has drained.
     */
    public Duration retryAfterWhenFull() {
        return retryAfter(size);
    }

    /**
     * The retry-after hint for {@code refused}: the time for the waiting tickets that outrank it to
     * drain. Its requester's weight shows here: a heavy requester's request outranks most of the
     * queue and hears "soon", a floor-weight one hears "after the queue". Counts only as far as
     * the hint's upper bound, so it costs O(lanes + maxRetryAfter / service time).
     */
    private Duration retryAfterBehind(Ticket<T> refused) {
        long limit = (long) Math.ceil(config.maxRetryAfter().toNanos() * (double) serviceSlots / serviceNanos);
        int ahead = 0;
        for (Lane<T> lane : lanes.values()) {
            for (Ticket<T> t : lane.byKey) {
                if (ahead >= limit || Ticket.compare(t, refused) >= 0) {
                    break;
                }
                ahead++;
            }
        }
        return retryAfter(ahead);
    }

    /** Time for about {@code jobs} jobs to drain, clamped to the configured retry-after bounds. */
    private Duration retryAfter(int jobs) {
        long nanos = Math.round(serviceNanos * Math.max(1, jobs) / serviceSlots);
        long min = config.minRetryAfter().toNanos();
        long max = config.maxRetryAfter().toNanos();
        long seconds = (Math.max(min, Math.min(max, nanos)) + 999_999_999L) / 1_000_000_000L;
        return Duration.ofSeconds(seconds);
    }
}
