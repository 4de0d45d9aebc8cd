package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.ReplicationScope;
import org.council.ledger.scope.Scope;
import org.council.ledger.scope.ScopeConfig;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

class ScopeDialsTest {

    private final FeedBuilder me = FeedBuilder.random();
    private final ReplicationScope policy = new ReplicationScope(me.id(), Set.of(), new ScopeConfig(2, 10_000));

    /** A counterparty of this node: it served us, we acknowledged (one hop). */
    private FeedBuilder counterparty() {
        FeedBuilder c = FeedBuilder.random();
        SignedEvent proposal = c.next(FeedBuilder.proposal(me.id(), 1_000));
        policy.observe(proposal);
        policy.observe(me.next(FeedBuilder.ack(proposal)));
        return c;
    }

    /** A node {@code via} has a settled receipt with: two hops from us. */
    private FeedBuilder twoHopsVia(FeedBuilder via) {
        FeedBuilder x = FeedBuilder.random();
        SignedEvent proposal = via.next(FeedBuilder.proposal(x.id(), 1_000));
        policy.observe(proposal);
        policy.observe(x.next(FeedBuilder.ack(proposal)));
        return x;
    }

    private List<NodeId> next(ScopeDials dials, Set<NodeId> covered, int maxHops, long now, int max) {
        return dials.next(policy.scope(), id -> 0L, covered::contains, maxHops, now, max);
    }

    @Test
    void counterpartiesComeBeforeTrustHopsAndCoveredFeedsAreNotDialled() {
        FeedBuilder c1 = counterparty();
        FeedBuilder c2 = counterparty();
        FeedBuilder far = twoHopsVia(c1);
        ScopeDials dials = new ScopeDials(new ScopeDials.Limits(12, 1));

        List<NodeId> picked = next(dials, Set.of(c2.id()), Integer.MAX_VALUE, 0, 10);

        assertThat(picked).containsExactly(c1.id(), far.id()); // c2 covered; never this node itself
        assertThat(next(dials, Set.of(), 1, 0, 10)).as("one hop: counterparties only")
                .containsExactlyInAnyOrder(c1.id(), c2.id());
    }

    @Test
    void theLeastRecentlyTriedGoesFirstAndATriedAuthorWaitsItsRetry() {
        FeedBuilder c1 = counterparty();
        FeedBuilder c2 = counterparty();
        ScopeDials dials = new ScopeDials(new ScopeDials.Limits(12, 1));
        NodeId first = next(dials, Set.of(), 1, 0, 1).get(0);
        dials.tried(first, 0);
        NodeId other = first.equals(c1.id()) ? c2.id() : c1.id();

        assertThat(next(dials, Set.of(), 1, 1_000, 10)).containsExactly(other);
        dials.tried(other, 1_000);
        assertThat(next(dials, Set.of(), 1, 2_000, 10)).isEmpty();
        assertThat(next(dials, Set.of(), 1, ScopeDials.RETRY_MS + 1_000, 10)).as("tried longest ago first")
                .containsExactly(first, other);
    }

    @Test
    void aPartialFeedHeldAsFarAsItIsWantedIsNoCandidate() {
        FeedBuilder c = counterparty();
        FeedBuilder x = twoHopsVia(c);
        FeedBuilder y = twoHopsVia(x); // three hops: y's feed held only up to its acknowledgement of x
        Scope scope = policy.scope();
        Scope.Entry e = scope.entry(y.id());
        assertThat(e).isNotNull();
        assertThat(e.whole()).isFalse();
        ScopeDials dials = new ScopeDials(new ScopeDials.Limits(12, 1));
        assertThat(dials.next(scope, id -> id.equals(y.id()) ? e.upTo() : 0L, id -> false, Integer.MAX_VALUE, 0, 10))
                .doesNotContain(y.id());
        assertThat(dials.next(scope, id -> 0L, id -> false, Integer.MAX_VALUE, 0, 10)).contains(y.id());
    }

    /**
     * An attacker that became a counterparty under many keys (or fills the scope through settled
     * receipts) cannot make this node dial them all: at most the dials a minute, burst included.
     */
    @Test
    void aNodeWithManyUncoveredFeedsDialsAtMostItsBudgetAMinute() {
        List<NodeId> sybils = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sybils.add(counterparty().id());
        }
        ScopeDials dials = new ScopeDials(new ScopeDials.Limits(12, 1));
        Set<NodeId> dialled = new HashSet<>();
        long now = 0;
        for (; now < 60_000; now += 250) { // the dialler's ticks over one minute
            for (NodeId id : next(dials, Set.of(), 1, now, 100)) {
                dials.tried(id, now);
                dialled.add(id);
            }
        }
        // 12 at once, then one per 5 s refilled: 12 + 11 within the minute
        assertThat(dialled).hasSizeLessThanOrEqualTo(12 + 12).hasSizeGreaterThanOrEqualTo(12);
        assertThat(sybils).containsAll(dialled);
        assertThat(next(new ScopeDials(new ScopeDials.Limits(0, 1)), Set.of(), 1, 0, 100)).as("0: never").isEmpty();
    }
}
