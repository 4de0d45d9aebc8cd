package org.council.node.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.council.api.RefusedClaim;

/**
 * The newest receipt claims this node refused to acknowledge, with the reason, for the API
 * ({@code GET /claims/refused}). In memory and bounded ({@link #CAPACITY}); a restart forgets
 * them (the server's ledger still holds its unacknowledged proposals). Thread-safe (one lock).
 */
public final class RefusedClaims {

    /** Refusals remembered; older ones are dropped. */
    public static final int CAPACITY = 1000;

    private final ArrayDeque<RefusedClaim> newestFirst = new ArrayDeque<>();

    synchronized void add(RefusedClaim c) {
        newestFirst.addFirst(c);
        if (newestFirst.size() > CAPACITY) {
            newestFirst.removeLast();
        }
    }

    /** The newest {@code limit} refusals, newest first. */
    public synchronized List<RefusedClaim> newest(int limit) {
        List<RefusedClaim> out = new ArrayList<>(Math.min(limit, newestFirst.size()));
        for (Iterator<RefusedClaim> it = newestFirst.iterator(); it.hasNext() && out.size() < limit; ) {
            out.add(it.next());
        }
        return out;
    }
}
