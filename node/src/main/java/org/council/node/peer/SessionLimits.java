package org.council.node.peer;

import java.time.Duration;

/**
 * What one peer session may cost this node: bytes queued for a peer that does not read, clocks
 * entries, pings, signature checks that end in nothing (forks, prev mismatches, clocks ahead), and
 * new feeds. Each bound ends the session when crossed; see docs/threat-model.md for the
 * reasoning and the measured costs. Immutable.
 *
 * @param maxQueuedBytes        frames written but not yet taken by the socket; beyond, the session
 *                              closes ({@code FLOODING}, no ban: a stalled peer may be honest)
 * @param maxClockEntries       clocks entries a peer may send in its one clocks exchange; beyond is
 *                              {@code FLOODING} and a ban (an honest node holds at most its feed cap)
 * @param pingBudget            pings a peer may send in a burst (token bucket size); beyond is a ban
 * @param pingRefillPerSecond   refill of that bucket (an honest node pings every 15 s)
 * @param unpaidBudget          signature checks of events that end as a fork, {@code PREV_MISMATCH}
 *                              or {@code CLOCK_AHEAD} (work the sender gets for free); beyond is a ban
 * @param unpaidRefillPerSecond refill of that bucket
 * @param newFeedBudget         feeds this node did not hold that one session may bring (its first
 *                              event of an author is accepted only within the budget); beyond is a ban
 * @param newFeedWindow         the budget refills fully over this time
 * @param badRequestBudget      inference requests refused before admission (unparsable, malformed or
 *                              with a signature that does not verify: a check the sender gets for free,
 *                              on the shared peer context); beyond is {@code FLOODING} and a ban
 * @param badRequestRefillPerSecond refill of that bucket (an honest requester sends none)
 */
public record SessionLimits(int maxQueuedBytes, int maxClockEntries, int pingBudget, int pingRefillPerSecond,
                            int unpaidBudget, int unpaidRefillPerSecond, int newFeedBudget, Duration newFeedWindow,
                            int badRequestBudget, int badRequestRefillPerSecond) {

    public SessionLimits {
        if (maxQueuedBytes < 1 || maxClockEntries < 1 || pingBudget < 1 || pingRefillPerSecond < 0
                || unpaidBudget < 1 || unpaidRefillPerSecond < 0 || newFeedBudget < 1
                || newFeedWindow.isNegative() || newFeedWindow.isZero() || badRequestBudget < 1
                || badRequestRefillPerSecond < 0) {
            throw new IllegalArgumentException("session limits must be positive: " + this);
        }
    }

    /**
     * 4 MiB queued (four times the socket's 1 MiB write-queue mark, which honest senders respect);
     * 100,000 clocks entries (twice the default feed cap); 20 pings, then 1/s; 1,024 unpaid checks,
     * then 16/s; 1,000 new feeds per hour; 16 refused inference requests, then 1/s.
     */
    public static SessionLimits defaults() {
        return new SessionLimits(4 * 1024 * 1024, 100_000, 20, 1, 1_024, 16, 1_000, Duration.ofHours(1), 16, 1);
    }

    /** Refill of the new-feed budget, per second. */
    double newFeedRefillPerSecond() {
        return newFeedBudget / (newFeedWindow.toMillis() / 1000.0);
    }

    public SessionLimits withMaxQueuedBytes(int bytes) {
        return new SessionLimits(bytes, maxClockEntries, pingBudget, pingRefillPerSecond, unpaidBudget,
                unpaidRefillPerSecond, newFeedBudget, newFeedWindow,
                badRequestBudget, badRequestRefillPerSecond);
    }

    public SessionLimits withMaxClockEntries(int entries) {
        return new SessionLimits(maxQueuedBytes, entries, pingBudget, pingRefillPerSecond, unpaidBudget,
                unpaidRefillPerSecond, newFeedBudget, newFeedWindow,
                badRequestBudget, badRequestRefillPerSecond);
    }

    public SessionLimits withPings(int budget, int refillPerSecond) {
        return new SessionLimits(maxQueuedBytes, maxClockEntries, budget, refillPerSecond, unpaidBudget,
                unpaidRefillPerSecond, newFeedBudget, newFeedWindow,
                badRequestBudget, badRequestRefillPerSecond);
    }

    public SessionLimits withUnpaid(int budget, int refillPerSecond) {
        return new SessionLimits(maxQueuedBytes, maxClockEntries, pingBudget, pingRefillPerSecond, budget,
                refillPerSecond, newFeedBudget, newFeedWindow, badRequestBudget,
                badRequestRefillPerSecond);
    }

    public SessionLimits withNewFeeds(int budget, Duration window) {
        return new SessionLimits(maxQueuedBytes, maxClockEntries, pingBudget, pingRefillPerSecond, unpaidBudget,
                unpaidRefillPerSecond, budget, window, badRequestBudget,
                badRequestRefillPerSecond);
    }

    public SessionLimits withBadRequests(int budget, int refillPerSecond) {
        return new SessionLimits(maxQueuedBytes, maxClockEntries, pingBudget, pingRefillPerSecond, unpaidBudget,
                unpaidRefillPerSecond, newFeedBudget, newFeedWindow, budget, refillPerSecond);
    }
}
