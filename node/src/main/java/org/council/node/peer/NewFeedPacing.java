package org.council.node.peer;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;

/**
 * The sending side of the new-feed budget ({@link SessionLimits#newFeedBudget()}): a node starts
 * sending a peer feeds the peer does not hold no faster than the peer's session accepts new feeds,
 * so that an honest node relaying many new feeds (a fresh peer syncing a large network, or feeds a
 * flood left at this node) is never taken for a flooder and banned. Feeds beyond the rate are
 * parked and go out as the budget refills. Both sides use the same limits; the sender keeps a
 * margin ({@link #MARGIN}) so that the two buckets, started a moment apart, never disagree.
 *
 * <p>Confined to the session's context, like the {@link FeedSync} that owns it.
 */
final class NewFeedPacing {

    /** The share of the peer's budget this side uses: 10% below it, six minutes of refill at the default. */
    static final double MARGIN = 0.9;

    private final Context context;
    private final TokenBucket tokens;
    private final long refillMs;
    private final Consumer<List<NodeId>> resume;
    // Accessed by context thread (all below)
    private final Set<NodeId> parked = new LinkedHashSet<>();
    private boolean timerSet;

    /** @param resume given the parked feeds once the budget has room again, on the context */
    NewFeedPacing(SessionLimits limits, Context context, LongSupplier nanos, Consumer<List<NodeId>> resume) {
        this.context = context;
        int budget = Math.max(1, (int) (limits.newFeedBudget() * MARGIN));
        double perSecond = limits.newFeedRefillPerSecond() * MARGIN;
        this.tokens = new TokenBucket(budget, perSecond, nanos);
        this.refillMs = Math.max(1, (long) Math.ceil(1000 / perSecond));
        this.resume = resume;
    }

    /** Whether a feed the peer holds nothing of may start now; if not, it is parked until it may. */
    boolean mayStart(NodeId author) {
        assert ContextCheck.inThread(context);
        if (tokens.take(1)) {
            return true;
        }
        parked.add(author);
        if (!timerSet) {
            timerSet = true;
            context.owner().setTimer(refillMs, id -> context.runOnContext(v -> {
                timerSet = false;
                List<NodeId> again = new ArrayList<>(parked);
                parked.clear();
                resume.accept(again);
            }));
        }
        return false;
    }

    int parked() {
        return parked.size();
    }
}
