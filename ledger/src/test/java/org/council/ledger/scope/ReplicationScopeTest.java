package org.council.ledger.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

/** The scope policy on in-memory events: a chain, a star, partial feeds, the bound. */
class ReplicationScopeTest {

    private final List<SignedEvent> log = new ArrayList<>();

    /** {@code server} serves {@code requester}: its proposal, then the requester's acknowledgement. */
    private SignedEvent[] serve(FeedBuilder server, FeedBuilder requester) {
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 1_000));
        SignedEvent ack = requester.next(FeedBuilder.ack(proposal));
        log.add(proposal);
        log.add(ack);
        return new SignedEvent[] {proposal, ack};
    }

    private static List<FeedBuilder> nodes(int n) {
        List<FeedBuilder> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(FeedBuilder.random());
        }
        return nodes;
    }

    private static ReplicationScope scopeOf(FeedBuilder node, int hops, int maxFeeds, List<SignedEvent> events) {
        ReplicationScope scope = new ReplicationScope(node.id(), Set.of(), new ScopeConfig(hops, maxFeeds));
        events.forEach(scope::observe);
        return scope;
    }

    @Test
    void onAChainTheFeedsWithinTheHopsAreWholeAndTheNextOneIsHeldUpToItsHalf() {
        // given: a chain 0-1-2-3-4, each serving the next
        List<FeedBuilder> chain = nodes(5);
        for (int i = 0; i < 4; i++) {
            serve(chain.get(i), chain.get(i + 1));
        }

        // when
        Scope scope = scopeOf(chain.get(0), 2, 100, log).scope();

        // then
        assertThat(scope.entry(chain.get(0).id())).isEqualTo(new Scope.Entry(0, Scope.WHOLE));
        assertThat(scope.entry(chain.get(1).id())).isEqualTo(new Scope.Entry(1, Scope.WHOLE));
        assertThat(scope.entry(chain.get(2).id())).isEqualTo(new Scope.Entry(2, Scope.WHOLE));
        // node 3's first event acknowledged node 2's proposal: the half node 0 needs to check that receipt
        assertThat(scope.entry(chain.get(3).id())).isEqualTo(new Scope.Entry(3, 1));
        assertThat(scope.contains(chain.get(4).id())).as("three hops away: not held at all").isFalse();
        assertThat(scope.size()).isEqualTo(4);
    }

    @Test
    void theMiddleOfAChainSeesBothWays() {
        List<FeedBuilder> chain = nodes(5);
        for (int i = 0; i < 4; i++) {
            serve(chain.get(i), chain.get(i + 1));
        }

        Scope scope = scopeOf(chain.get(2), 1, 100, log).scope();

        assertThat(scope.entry(chain.get(1).id()).distance()).isEqualTo(1);
        assertThat(scope.entry(chain.get(3).id()).distance()).isEqualTo(1);
        // node 1 acknowledged node 0's proposal at seq 1: node 0 is wanted up to that proposal
        assertThat(scope.entry(chain.get(0).id())).isEqualTo(new Scope.Entry(2, 1));
        // node 3 proposed to node 4 (its seq 2), and node 4 acknowledged it at its seq 1
        assertThat(scope.entry(chain.get(4).id())).isEqualTo(new Scope.Entry(2, 1));
    }

    @Test
    void onAStarTheHubHoldsEveryLeafAndALeafHoldsTheOtherLeavesAtTwoHops() {
        FeedBuilder hub = FeedBuilder.random();
        List<FeedBuilder> leaves = nodes(6);
        leaves.forEach(leaf -> serve(hub, leaf));

        Scope atHub = scopeOf(hub, 1, 100, log).scope();
        Scope atLeaf = scopeOf(leaves.get(0), 2, 100, log).scope();
        Scope atLeafOneHop = scopeOf(leaves.get(0), 1, 100, log).scope();

        assertThat(atHub.size()).isEqualTo(7);
        leaves.forEach(l -> assertThat(atHub.entry(l.id())).isEqualTo(new Scope.Entry(1, Scope.WHOLE)));
        assertThat(atLeaf.size()).isEqualTo(7);
        leaves.subList(1, 6).forEach(l -> assertThat(atLeaf.entry(l.id())).isEqualTo(new Scope.Entry(2, Scope.WHOLE)));
        // one hop: the other leaves only up to the acknowledgement that checks each hub receipt
        leaves.subList(1, 6).forEach(l -> assertThat(atLeafOneHop.entry(l.id())).isEqualTo(new Scope.Entry(2, 1)));
    }

    @Test
    void aCounterpartyCountsFromTheFirstHalfInTheOwnFeedAndIsWantedWholeUntilItAcknowledges() {
        FeedBuilder me = FeedBuilder.random();
        FeedBuilder requester = FeedBuilder.random();
        FeedBuilder third = FeedBuilder.random();
        SignedEvent proposal = me.next(FeedBuilder.proposal(requester.id(), 1_000));
        ReplicationScope scope = new ReplicationScope(me.id(), Set.of(), new ScopeConfig(1, 100));

        assertThat(scope.observe(proposal)).isTrue();
        assertThat(scope.scope().entry(requester.id())).isEqualTo(new Scope.Entry(1, Scope.WHOLE));

        // the requester, at one hop, is served by a third node that has not been acknowledged yet
        SignedEvent theirs = third.next(FeedBuilder.proposal(requester.id(), 1_000));
        scope.observe(requester.next(FeedBuilder.ack(proposal)));
        scope.observe(theirs);
        assertThat(scope.scope().contains(third.id())).as("a half the requester does not hold yet").isFalse();
        scope.observe(requester.next(FeedBuilder.ack(theirs)));
        // the requester's acknowledgement names the third node's proposal at seq 1
        assertThat(scope.scope().entry(third.id())).isEqualTo(new Scope.Entry(2, 1));
    }

    @Test
    void aPendingProposalInAWholeFeedWantsTheRequesterWholeThenUpToItsAcknowledgement() {
        FeedBuilder me = FeedBuilder.random();
        FeedBuilder server = FeedBuilder.random();
        FeedBuilder stranger = FeedBuilder.random();
        ReplicationScope scope = new ReplicationScope(me.id(), Set.of(), new ScopeConfig(1, 100));
        serve(server, me);
        log.forEach(scope::observe);
        SignedEvent toStranger = server.next(FeedBuilder.proposal(stranger.id(), 1_000));
        scope.observe(toStranger);

        assertThat(scope.scope().entry(stranger.id())).isEqualTo(new Scope.Entry(2, Scope.WHOLE));

        stranger.next(FeedBuilder.capabilities("m"));
        SignedEvent ack = stranger.next(FeedBuilder.ack(toStranger));
        stranger.events().forEach(scope::observe);
        assertThat(scope.scope().entry(stranger.id())).isEqualTo(new Scope.Entry(2, ack.seq()));
    }

    @Test
    void aReplayInAnyFeedOrderGivesTheSameScopeAndAppliesNothingTwice() {
        List<FeedBuilder> chain = nodes(6);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5; i++) {
                serve(chain.get(i), chain.get(i + 1));
            }
        }
        Scope inOrder = scopeOf(chain.get(0), 2, 100, log).scope();

        // feed by feed instead of interleaved, and every event twice
        List<SignedEvent> byFeed = new ArrayList<>();
        List<FeedBuilder> shuffled = new ArrayList<>(chain);
        Collections.reverse(shuffled);
        shuffled.forEach(f -> byFeed.addAll(f.events()));
        byFeed.addAll(log);
        ReplicationScope replayed = scopeOf(chain.get(0), 2, 100, byFeed);

        assertThat(replayed.scope().entries()).isEqualTo(inOrder.entries());
        assertThat(replayed.observe(log.get(0))).as("already seen").isFalse();
    }

    @Test
    void theBoundEvictsPartialFeedsFirstThenTheMostDistantAndNeverTheOwnCounterpartiesOrPinnedOnes() {
        // given: me served by a, a served by b, b served by c, and a trusted peer t far away
        FeedBuilder me = FeedBuilder.random();
        FeedBuilder a = FeedBuilder.random();
        FeedBuilder b = FeedBuilder.random();
        FeedBuilder c = FeedBuilder.random();
        FeedBuilder t = FeedBuilder.random();
        serve(a, me);
        serve(b, a);
        serve(c, b);
        ReplicationScope unbounded = new ReplicationScope(me.id(), Set.of(t.id()), new ScopeConfig(2, 100));
        log.forEach(unbounded::observe);
        assertThat(unbounded.scope().entries().keySet()).containsExactlyInAnyOrder(me.id(), a.id(), b.id(), c.id(), t.id());

        // when: room for four, then three, then one
        ReplicationScope four = new ReplicationScope(me.id(), Set.of(t.id()), new ScopeConfig(2, 4));
        ReplicationScope three = new ReplicationScope(me.id(), Set.of(t.id()), new ScopeConfig(2, 3));
        ReplicationScope one = new ReplicationScope(me.id(), Set.of(t.id()), new ScopeConfig(2, 1));
        log.forEach(e -> {
            four.observe(e);
            three.observe(e);
            one.observe(e);
        });

        // then: the partial c goes first, then b at two hops; me, my counterparty a and the trusted t
        // stay even beyond the bound
        assertThat(four.scope().entries().keySet()).containsExactlyInAnyOrder(me.id(), a.id(), b.id(), t.id());
        assertThat(three.scope().entries().keySet()).containsExactlyInAnyOrder(me.id(), a.id(), t.id());
        assertThat(one.scope().entries().keySet()).containsExactlyInAnyOrder(me.id(), a.id(), t.id());
    }

    @Test
    void amongEqualDistancesTheFeedWithFewerSettledReceiptsLeavesFirst() {
        // me - hub (my counterparty); hub - busy, hub - quiet at two hops; busy - other: other is partial
        FeedBuilder me = FeedBuilder.random();
        FeedBuilder hub = FeedBuilder.random();
        FeedBuilder busy = FeedBuilder.random();
        FeedBuilder quiet = FeedBuilder.random();
        FeedBuilder other = FeedBuilder.random();
        serve(hub, me);
        serve(busy, hub);
        serve(quiet, hub);
        serve(busy, other);

        ReplicationScope scope = scopeOf(me, 2, 4, log);

        // busy (2 settled receipts) and quiet (1) are both at two hops; the partial 'other' went first
        assertThat(scope.scope().entries().keySet()).containsExactlyInAnyOrder(me.id(), hub.id(), busy.id(), quiet.id());
        ReplicationScope tighter = scopeOf(me, 2, 3, log);
        assertThat(tighter.scope().entries().keySet()).containsExactlyInAnyOrder(me.id(), hub.id(), busy.id());
    }

    @Test
    void aPinnedPeerIsInScopeUntilUnpinnedAndTheChangeSaysSo() {
        FeedBuilder me = FeedBuilder.random();
        NodeId peer = FeedBuilder.random().id();
        ReplicationScope scope = new ReplicationScope(me.id(), Set.of(), ScopeConfig.defaults());
        Scope before = scope.scope();

        assertThat(scope.pin(peer)).isTrue();
        Scope pinned = scope.scope();
        assertThat(pinned.since(before).wanted()).containsOnlyKeys(peer);
        assertThat(scope.unpin(peer)).isTrue();

        Scope.Change change = scope.scope().since(pinned);
        assertThat(change.dropped()).containsExactly(peer);
        assertThat(change.wanted()).isEmpty();
        assertThat(scope.scope().contains(me.id())).isTrue();
    }

    @Test
    void aCounterpartyNamingThousandsOfStrangersPushesOutOnlyPartialFeeds() {
        // given: me with two counterparties; one of them (the attacker) proposes to 500 strangers who never acknowledge
        FeedBuilder me = FeedBuilder.random();
        FeedBuilder honest = FeedBuilder.random();
        FeedBuilder attacker = FeedBuilder.random();
        FeedBuilder partner = FeedBuilder.random();
        serve(honest, me);
        serve(attacker, me);
        serve(honest, partner);
        ReplicationScope scope = scopeOf(me, 1, 20, log);
        assertThat(scope.scope().contains(partner.id())).isTrue();
        for (int i = 0; i < 500; i++) {
            scope.observe(attacker.next(FeedBuilder.proposal(FeedBuilder.random().id(), 1_000)));
        }

        // then: the scope stays at its bound, and every whole feed is still in it
        Scope after = scope.scope();
        assertThat(after.size()).isEqualTo(20);
        assertThat(after.entries()).containsKeys(me.id(), honest.id(), attacker.id());
        assertThat(after.entries().values()).filteredOn(e -> e.distance() <= 1).hasSize(3);
        // a partial feed with a settled receipt outranks strangers that have none
        assertThat(after.contains(partner.id())).isTrue();
    }
}
