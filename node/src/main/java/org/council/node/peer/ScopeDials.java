package org.council.node.peer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.council.crypto.NodeId;
import org.council.ledger.scope.Scope;

/**
 * Which scope neighbours to dial: the authors of feeds in this node's replication scope that no
 * session offers. A node fetches only from its sessions, and a feed's new events reach it only
 * through a session whose peer replicates that feed; when churn ends the session with a
 * counterparty and the random sessions that replace it do not replicate the counterparty's feed,
 * that feed stalls until something reconnects the two (docs/protocol.md, "Reconnecting to the
 * scope"). The {@link Dialler} and the scale simulation both ask this class, so the simulation
 * measures the policy the node runs.
 *
 * <p>A feed is a candidate when it is in scope and still wanted (whole, or partial and held below
 * the seq wanted), is not this node's, and {@code covered} does not hold for it (its author is
 * connected, or a session's peer replicates the feed). Candidates go nearest first (direct
 * counterparties at one hop before feeds reached over settled receipts, partial feeds at the edge
 * after them, pinned feeds the graph does not reach last), then least recently tried, then by id
 * (a deterministic order). An author tried less than {@link #RETRY_MS} ago is not a candidate;
 * every dial of any kind takes a token of a bucket of {@link Limits#dialsPerMinute()}, so however
 * large the uncovered scope, the node dials at most that many scope neighbours a minute (and its
 * neighbours receive at most that many from it).
 *
 * <p>Pure: no clock, no I/O, no Vert.x; times are passed in. Not thread-safe: its owner's context.
 */
public final class ScopeDials {

    /**
     * An author is not dialled again for its feed within this long after a try: long enough that a
     * node with a few uncovered counterparties polls each about once a minute (the convergence the
     * scale simulation asks for), short enough that one that came back is found within a minute.
     */
    public static final long RETRY_MS = 60_000;
    /**
     * A catch-up session closes once it has brought every feed up to what the peer holds, or after
     * this long: time for a few round trips and batches, not for replicating a long feed (which an
     * ordinary slot does).
     */
    public static final long CATCH_UP_TIMEOUT_MS = 20_000;
    /**
     * The farthest scope neighbours a catch-up session goes to: all of them, nearest first. Measured
     * (scale simulation): counterparties only left receipts stalled at nodes two and three hops
     * away whose random sessions did not replicate the feed; the whole scope converged every probed
     * receipt at all three sizes for at most 4% more bytes, since a covered feed is never dialled
     * and each author at most once per {@link #RETRY_MS}.
     */
    public static final int CATCH_UP_MAX_HOPS = Integer.MAX_VALUE;

    /**
     * @param dialsPerMinute  scope neighbours dialled a minute at most, ordinary slots and catch-ups
     *                        together ({@code replication.scope.dials.per.minute}); also the burst, so a
     *                        node that comes back can fill its outbound slots with neighbours at once
     * @param catchUpSessions short sessions to uncovered counterparties beyond the outbound slots
     *                        ({@code replication.scope.catch.up.sessions}; 0: none)
     */
    public record Limits(int dialsPerMinute, int catchUpSessions) {
        public Limits {
            if (dialsPerMinute < 0 || catchUpSessions < 0) {
                throw new IllegalArgumentException("scope dial limits must not be negative: " + this);
            }
        }

        /**
         * 12 a minute: a node coming back fills 8 outbound slots with neighbours at once and then
         * dials one every 5 s at most. One catch-up session, as Bitcoin Core keeps one feeler: a
         * session costs the clocks of the whole scope each way (a few kB at 100 feeds), so it goes
         * only to feeds no session covers, each at most once per {@link #RETRY_MS}.
         */
        public static Limits defaults() {
            return new Limits(12, 1);
        }
    }

    private final Limits limits;
    private final Map<NodeId, Long> lastTriedMs = new HashMap<>();
    private double tokens;
    private long refilledMs = Long.MIN_VALUE;

    public ScopeDials(Limits limits) {
        this.limits = limits;
        this.tokens = limits.dialsPerMinute();
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Up to {@code max} authors to dial now, best first (none when the minute's dials are spent).
     * Nothing is spent until {@link #tried}: the caller may skip one it cannot reach.
     *
     * @param held    the seq this node holds of a feed (a partial feed is a candidate only below the seq wanted)
     * @param covered true for authors connected, or whose feed a session's peer replicates
     * @param maxHops the farthest distance taken (1: counterparties only)
     */
    public List<NodeId> next(Scope scope, ToLongFunction<NodeId> held, Predicate<NodeId> covered, int maxHops,
                             long nowMs, int max) {
        refill(nowMs);
        prune(scope.size(), nowMs);
        int budget = Math.min(max, (int) Math.floor(tokens));
        if (budget <= 0) {
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        scope.entries().forEach((author, e) -> {
            if (e.distance() == 0 || e.distance() > maxHops) {
                return;
            }
            Long tried = lastTriedMs.get(author);
            if (tried != null && nowMs - tried < RETRY_MS) {
                return;
            }
            if (!e.whole() && held.applyAsLong(author) >= e.upTo()) {
                return; // a partial feed held as far as it is wanted: nothing more to fetch
            }
            if (!covered.test(author)) {
                candidates.add(new Candidate(author, e.distance(), tried == null ? Long.MIN_VALUE : tried));
            }
        });
        candidates.sort(ORDER);
        return candidates.stream().limit(budget).map(Candidate::author).toList();
    }

    /** A dial of {@code author} was made (whether it reached the peer or not): a token spent, the author waits. */
    public void tried(NodeId author, long nowMs) {
        refill(nowMs);
        tokens -= 1;
        lastTriedMs.put(author, nowMs);
    }

    /**
     * Keeps the tries remembered near the scope's size: beyond twice it (plus a margin), tries older
     * than {@link #RETRY_MS} are forgotten; such an author then orders as one never tried.
     */
    private void prune(int scopeSize, long nowMs) {
        if (lastTriedMs.size() > 2 * scopeSize + 64) {
            lastTriedMs.values().removeIf(t -> nowMs - t >= RETRY_MS);
        }
    }

    private void refill(long nowMs) {
        if (refilledMs != Long.MIN_VALUE && nowMs > refilledMs) {
            tokens = Math.min(limits.dialsPerMinute(), tokens + (nowMs - refilledMs) * limits.dialsPerMinute() / 60_000.0);
        }
        refilledMs = Math.max(nowMs, refilledMs == Long.MIN_VALUE ? nowMs : refilledMs);
    }

    private record Candidate(NodeId author, int distance, long triedMs) {
    }

    private static final Comparator<Candidate> ORDER = Comparator.comparingInt(Candidate::distance)
            .thenComparingLong(Candidate::triedMs).thenComparing(Candidate::author);
}
