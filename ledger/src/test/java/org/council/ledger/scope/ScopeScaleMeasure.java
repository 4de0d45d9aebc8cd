package org.council.ledger.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a test (it asserts nothing and runs only with {@code -Dcouncil.measure=true
 * -Dtest=ScopeScaleMeasure}): the scope of one node in a random receipt graph, and what observing
 * events and recomputing the scope cost. Figures go to docs/protocol.md ("Replication scope").
 */
@EnabledIfSystemProperty(named = "council.measure", matches = "true")
class ScopeScaleMeasure {

    @Test
    void oneNodesScopeInARandomReceiptGraph() {
        int nodes = Integer.getInteger("council.measure.nodes", 3_000);
        int receiptsPerNode = Integer.getInteger("council.measure.receipts", 10);
        Random random = new Random(42);
        List<FeedBuilder> all = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            all.add(FeedBuilder.random());
        }
        List<SignedEvent> log = new ArrayList<>();
        for (int r = 0; r < nodes * receiptsPerNode; r++) {
            FeedBuilder server = all.get(random.nextInt(nodes));
            FeedBuilder requester = all.get(random.nextInt(nodes));
            if (server == requester) {
                continue;
            }
            SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 1_000));
            log.add(proposal);
            log.add(requester.next(FeedBuilder.ack(proposal)));
        }
        for (int hops : new int[] {1, 2, 3}) {
            ReplicationScope scope = new ReplicationScope(all.get(0).id(), Set.of(), new ScopeConfig(hops, 2_000));
            long t0 = System.nanoTime();
            log.forEach(scope::observe);
            long observed = System.nanoTime() - t0;
            Scope s = scope.scope();
            int rounds = 200;
            long spent = 0;
            for (int i = 0; i < rounds; i++) {
                // pinning or unpinning a feed makes the scope stale: a full recompute each round
                if (i % 2 == 0) {
                    scope.pin(all.get(1).id());
                } else {
                    scope.unpin(all.get(1).id());
                }
                long t1 = System.nanoTime();
                scope.scope();
                spent += System.nanoTime() - t1;
            }
            long recompute = spent / rounds;
            long whole = s.entries().values().stream().filter(Scope.Entry::whole).count();
            System.out.printf("{\"measure\":\"scope\",\"nodes\":%d,\"events\":%d,\"hops\":%d,\"in_scope\":%d,"
                            + "\"whole\":%d,\"partial\":%d,\"observe_ns_per_event\":%d,\"recompute_us\":%d}%n",
                    nodes, log.size(), hops, s.size(), whole, s.size() - whole, observed / log.size(),
                    recompute / 1_000);
        }
    }
}
