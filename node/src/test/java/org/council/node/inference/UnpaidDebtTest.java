package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A requester that leaves this node's claims unacknowledged weighs less here, until it pays. */
class UnpaidDebtTest {

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void unpaidClaimsOlderThanTheGraceLowerTheWeightUntilAcknowledged() {
        NodeKeyPair self = NodeKeyPair.generate();
        FeedBuilder freeloader = FeedBuilder.random();
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, LedgerConfig.defaults())) {
            UnpaidDebt debt = new UnpaidDebt(self.id(), store, now::get);
            SignedEvent first = store.append(FeedBuilder.proposal(freeloader.id(), 10_000)).join();
            SignedEvent second = store.append(FeedBuilder.proposal(freeloader.id(), Long.MAX_VALUE)).join();

            assertThat(debt.debtMilli(freeloader.id())).as("within the grace period").isZero();
            assertThat(debt.weigh(10, freeloader.id())).isEqualTo(10);

            now.set(System.currentTimeMillis() + UnpaidDebt.GRACE_MS + 600_000); // both claims are past the grace
            long both = 10_000 + org.council.ledger.event.Credits.MAX_PER_JOB_MILLI; // each counts at most the cap
            // commit listeners run after the append's future completes: wait for them
            TestCluster.awaitTrue(() -> debt.debtMilli(freeloader.id()) == both, WAIT,
                    () -> "debt " + debt.debtMilli(freeloader.id()));
            assertThat(debt.weigh(10, freeloader.id())).isLessThan(0.2);
            assertThat(new UnpaidDebt(self.id(), store, now::get).debtMilli(freeloader.id()))
                    .as("rebuilt from the ledger at start").isEqualTo(debt.debtMilli(freeloader.id()));

            // an acknowledgement naming another job clears nothing; the right one clears its claim
            // (listeners see commits in order: once the second is cleared, the forged one was seen)
            store.ingest(List.of(freeloader.next(new EventBody.ServiceAcknowledged(JobId.random(), self.id(),
                    first.seq(), first.id())).envelope())).join();
            store.ingest(List.of(freeloader.next(FeedBuilder.ack(second)).envelope())).join();
            TestCluster.awaitTrue(() -> debt.debtMilli(freeloader.id()) == 10_000, WAIT,
                    () -> "debt " + debt.debtMilli(freeloader.id()));
            store.ingest(List.of(freeloader.next(FeedBuilder.ack(first)).envelope())).join();
            TestCluster.awaitTrue(() -> debt.debtMilli(freeloader.id()) == 0, WAIT,
                    () -> "debt " + debt.debtMilli(freeloader.id()));
            assertThat(debt.debtMilli(NodeKeyPair.generate().id())).isZero();
        }
    }
}
