package org.council.ledger.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

/** The one settlement rule, over an in-memory book and over the projection state. */
class ReceiptSettlementTest {

    private final FeedBuilder server = FeedBuilder.random();
    private final FeedBuilder requester = FeedBuilder.random();

    @Test
    void proposalThenAcknowledgementSettlesOnTheAcknowledgement() {
        MapBook book = new MapBook();
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 4_000));
        SignedEvent ack = requester.next(FeedBuilder.ack(proposal));

        assertThat(propose(book, proposal)).isNull();
        ReceiptSettlement.Settled s = acknowledge(book, ack);

        assertThat(s).isEqualTo(new ReceiptSettlement.Settled(requester.id(), server.id(), proposal.seq(), 4_000,
                proposal.timestampMs(), true));
        assertThat(book.pending()).isZero();
    }

    @Test
    void acknowledgementThenProposalSettlesOnTheProposal() {
        MapBook book = new MapBook();
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 4_000));
        SignedEvent ack = requester.next(FeedBuilder.ack(proposal));

        assertThat(acknowledge(book, ack)).isNull();
        ReceiptSettlement.Settled s = propose(book, proposal);

        assertThat(s).isEqualTo(new ReceiptSettlement.Settled(requester.id(), server.id(), proposal.seq(), 4_000,
                proposal.timestampMs(), false));
        assertThat(book.pending()).isZero();
    }

    @Test
    void aRepeatedAcknowledgementSettlesNothing() {
        MapBook book = new MapBook();
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 4_000));
        SignedEvent ack = requester.next(FeedBuilder.ack(proposal));
        SignedEvent again = requester.next(FeedBuilder.ack(proposal));

        propose(book, proposal);
        assertThat(acknowledge(book, ack)).isNotNull();
        assertThat(acknowledge(book, again)).isNull();
        assertThat(book.pending()).as("a book that remembers settlement keeps no stray half").isZero();
    }

    @Test
    void anAcknowledgementOfAnotherJobOrByAnotherRequesterDoesNotSettle() {
        MapBook book = new MapBook();
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 4_000));
        EventBody.ServiceAcknowledged real = FeedBuilder.ack(proposal);
        SignedEvent otherJob = requester.next(new EventBody.ServiceAcknowledged(JobId.random(), real.server(),
                real.proposalSeq(), real.proposalId()));
        SignedEvent stranger = FeedBuilder.random().next(real);

        propose(book, proposal);
        assertThat(acknowledge(book, otherJob)).isNull();
        assertThat(acknowledge(book, stranger)).isNull();
        assertThat(book.pending()).isEqualTo(3);
    }

    @Test
    void theProjectionReachesTheSameTotalsInEitherOrderAndCountsOnce() {
        SignedEvent proposal = server.next(FeedBuilder.proposal(requester.id(), 4_000));
        SignedEvent ack = requester.next(FeedBuilder.ack(proposal));
        SignedEvent again = requester.next(FeedBuilder.ack(proposal));

        MemoryProjectionState forward = replay(List.of(proposal, ack, again));
        MemoryProjectionState backward = replay(List.of(again, ack, proposal));

        assertThat(Projections.account(forward, server.id())).isEqualTo(new AccountTotals(4_000, 0, 0, 1, 0));
        assertThat(Projections.account(forward, requester.id())).isEqualTo(new AccountTotals(0, 4_000, 0, 0, 1));
        assertThat(Projections.account(backward, server.id())).isEqualTo(Projections.account(forward, server.id()));
        assertThat(Projections.account(backward, requester.id()))
                .isEqualTo(Projections.account(forward, requester.id()));
    }

    private static MemoryProjectionState replay(List<SignedEvent> events) {
        MemoryProjectionState state = new MemoryProjectionState();
        events.forEach(e -> Projections.evolve(state, e));
        return state;
    }

    private static ReceiptSettlement.Settled propose(MapBook book, SignedEvent e) {
        return ReceiptSettlement.proposed(book, e, (EventBody.ServiceProposed) e.body());
    }

    private static ReceiptSettlement.Settled acknowledge(MapBook book, SignedEvent e) {
        return ReceiptSettlement.acknowledged(book, e, (EventBody.ServiceAcknowledged) e.body());
    }

    /** {@link UnmatchedHalves}, plus the settled receipts it forgets (as the projections remember them). */
    private static final class MapBook implements ReceiptSettlement.PendingReceipts {
        private record Slot(NodeId server, long seq) {
        }

        private final UnmatchedHalves halves = new UnmatchedHalves();
        private final Set<Slot> settled = new HashSet<>();

        int pending() {
            return halves.pending();
        }

        @Override
        public ReceiptSettlement.Proposal proposal(NodeId server, long seq) {
            return halves.proposal(server, seq);
        }

        @Override
        public void putProposal(NodeId server, long seq, ReceiptSettlement.Proposal proposal) {
            halves.putProposal(server, seq, proposal);
        }

        @Override
        public void removeProposal(NodeId server, long seq) {
            halves.removeProposal(server, seq);
        }

        @Override
        public boolean removeAck(ReceiptSettlement.Ack ack) {
            return halves.removeAck(ack);
        }

        @Override
        public void putAck(ReceiptSettlement.Ack ack) {
            halves.putAck(ack);
        }

        @Override
        public boolean isSettled(NodeId server, long seq) {
            return settled.contains(new Slot(server, seq));
        }

        @Override
        public void markSettled(NodeId server, long seq) {
            settled.add(new Slot(server, seq));
        }
    }
}
