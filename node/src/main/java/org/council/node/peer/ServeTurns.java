package org.council.node.peer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;

/**
 * Turns at reading history for peers, per remote host: the sessions from one address take turns at
 * the ledger reads that feed their catch-up, one batch read at a time between them. Keys are free,
 * so an attacker can hold as many sessions from one address as the per-address cap allows, each
 * asking for the whole ledger; with turns they cost the node about one catch-up, not one each. Honest
 * peers behind one NAT share a turn the same way (reads take a few milliseconds; a peer that does
 * not read its socket never holds a turn: {@link FeedSync} takes one only when the write queue has
 * room). A session without a host (in-memory sessions in tests and the scale simulation) is not
 * gated. At most one waiter per session ({@link FeedSync} asks again only when its turn comes), so a
 * host's queue is bounded by its sessions. Confined to the peer context.
 */
final class ServeTurns {

    /** How often a session on probation, or waiting for its host's repeats to refill, asks again for a turn. */
    static final long RETRY_MS = 1_000;

    private final HostBudgets budgets;
    private final HostRepeats repeats;

    /** Budgets per session (tests, in-memory sessions). */
    ServeTurns() {
        this(new HostBudgets(SessionLimits.defaults(), false, System::nanoTime));
    }

    /** With the budgets the sessions of one host share. */
    ServeTurns(HostBudgets budgets) {
        this(budgets, HostRepeats.off());
    }

    /** With the budgets the sessions of one host share, and what is a repeat for a host ({@link HostRepeats}). */
    ServeTurns(HostBudgets budgets, HostRepeats repeats) {
        this.budgets = budgets;
        this.repeats = repeats;
    }

    /** The unpaid and new-feed budgets of a session from {@code host} (shared with its host's other sessions, or its own). */
    HostBudgets.Budgets budgets(String host, SessionLimits own) {
        return budgets.of(host, own);
    }

    /** Hosts served no history for now (a recent ban: {@link HelloGate#onProbation}); none by default. */
    private volatile java.util.function.Predicate<String> probation = h -> false;
    // Accessed by context thread (all below)
    private final Set<String> reading = new HashSet<>();
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

    /**
     * True when {@code host} may read now, after which the caller must {@link #release} it; else
     * {@code retry} runs when the host's turn is free again.
     */
    boolean take(String host, Runnable retry) {
        if (host == null || reading.add(host)) {
            return true;
        }
        waiting.computeIfAbsent(host, h -> new ArrayDeque<>()).add(retry);
        return false;
    }

    /** The read of {@code host}'s turn is done: the next session waiting from that host may read. */
    void release(String host) {
        if (host == null) {
            return;
        }
        reading.remove(host);
        // a waiter whose session has closed, or has nothing to send, takes no turn: go on to the next.
        // A waiter may re-enter (a read that completes at once releases inside its pump), so the queue
        // is looked up afresh each time and dropped before the waiter runs, never after.
        ArrayDeque<Runnable> queue;
        while (!reading.contains(host) && (queue = waiting.get(host)) != null) {
            Runnable next = queue.poll();
            if (queue.isEmpty()) {
                waiting.remove(host);
            }
            next.run();
        }
    }

    /** Which hosts are on probation: their sessions read nothing until it ends. */
    void probation(java.util.function.Predicate<String> onProbation) {
        this.probation = onProbation;
    }

    /**
     * The place in {@code host}'s turns of one session, which {@code whenFree} pumps again;
     * {@code holds} is the last seq the session's peer holds per feed ({@link HostRepeats}).
     */
    Turn turnFor(String host, Map<NodeId, Long> holds, Runnable whenFree) {
        repeats.opened(host, holds);
        return new Turn(host, holds, whenFree);
    }

    /** One session's place in its host's turns: waits at most once at a time. Confined like its owner. */
    final class Turn {

        private final String host;
        private final Map<NodeId, Long> holds;
        private final Runnable whenFree;
        private boolean waiting;
        private boolean retryTimer;

        private Turn(String host, Map<NodeId, Long> holds, Runnable whenFree) {
            this.host = host;
            this.holds = holds;
            this.whenFree = whenFree;
        }

        /** True when the session may read now (then {@link #release}); else {@code whenFree} runs when its turn comes. */
        boolean take() {
            if (waiting) {
                return false;
            }
            waiting = !ServeTurns.this.take(host, () -> {
                waiting = false;
                whenFree.run();
            });
            return !waiting;
        }

        /**
         * Whether the session must not read {@code author} from {@code from} for now: its host is on
         * probation, or the read repeats what another session of its host holds and the host's
         * repeats are spent ({@link HostRepeats}). Then {@code whenFree} runs again in
         * {@link #RETRY_MS} on {@code context} (one timer at a time).
         */
        boolean mustWait(NodeId author, long from, io.vertx.core.Context context) {
            if (host == null || !(probation.test(host) || repeats.mustWait(host, holds, author, from))) {
                return false;
            }
            if (!retryTimer) {
                retryTimer = true;
                context.owner().setTimer(RETRY_MS, id -> {
                    retryTimer = false;
                    whenFree.run();
                });
            }
            return true;
        }

        /** The session's read of {@code count} events of {@code author} from {@code from} is done (0: it failed). */
        void release(NodeId author, long from, int count) {
            repeats.served(host, holds, author, from, count);
            ServeTurns.this.release(host);
        }

        /** The session closed: what its peer held counts as its host's while the host has other sessions. */
        void close() {
            repeats.closed(host, holds);
        }
    }

    /** Hosts with sessions waiting for a turn (for tests). */
    int waitingHosts() {
        return waiting.size();
    }
}
