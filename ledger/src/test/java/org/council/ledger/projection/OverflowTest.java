package org.council.ledger.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.Credits;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.IngestOutcome;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Receipts signed with absurd credits: the totals never wrap and replay still agrees. */
class OverflowTest {

    @TempDir
    Path dir;

    @Test
    void longMaxValueClaimsCountAsTheCapAndTotalsStayExact() {
        FeedBuilder server = FeedBuilder.random();
        FeedBuilder requester = FeedBuilder.random();
        List<SignedEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SignedEvent p = server.next(FeedBuilder.proposal(requester.id(), Long.MAX_VALUE));
            events.add(p);
            if (i < 2) {
                events.add(requester.next(FeedBuilder.ack(p)));
            }
        }
        try (RocksLedgerStore store = RocksLedgerStore.open(dir, NodeKeyPair.generate(), LedgerConfig.defaults())) {
            assertThat(store.ingest(events.stream().map(SignedEvent::envelope).toList()).join())
                    .allMatch(IngestOutcome::accepted);

            long cap = Credits.MAX_PER_JOB_MILLI;
            assertThat(store.account(server.id()).earnedMilli()).isEqualTo(2 * cap);
            assertThat(store.account(server.id()).pendingEarnedMilli()).isEqualTo(cap);
            assertThat(store.account(server.id()).balanceMilli()).isEqualTo(2 * cap);
            assertThat(store.account(requester.id()).spentMilli()).isEqualTo(2 * cap);
            assertThat(store.account(requester.id()).balanceMilli()).isEqualTo(-2 * cap);
            assertThat(store.unpaid(server.id())).singleElement()
                    .satisfies(u -> assertThat(u.creditsMilli()).isEqualTo(cap));
            assertThat(store.projectionsMatchReplay()).isTrue();
        }
    }

    @Test
    void totalsSaturateInsteadOfWrapping() {
        AccountTotals near = new AccountTotals(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1, 0, Long.MAX_VALUE, 0);
        AccountTotals t = near.plus(5, 5, Long.MIN_VALUE, 1, -1);
        assertThat(t.earnedMilli()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.spentMilli()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.pendingEarnedMilli()).isEqualTo(Long.MIN_VALUE);
        assertThat(t.servedJobs()).isEqualTo(Long.MAX_VALUE);
        assertThat(new AccountTotals(Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, 0).balanceMilli()).isEqualTo(Long.MIN_VALUE);
        assertThat(new AccountTotals(Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, 0).balanceMilli()).isEqualTo(Long.MAX_VALUE);
        assertThat(AccountTotals.saturatedAdd(-3, 5)).isEqualTo(2);
    }
}
