package org.council.ledger.reputation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;

/**
 * Pairs the two halves of receipts in memory, by the rule of {@code Projections}: a proposal and
 * an acknowledgement settle when they agree on server, proposal seq, requester, proposal id and
 * job id, in whichever order they arrive. A settled proposal leaves the pending map, so a repeated
 * acknowledgement can never settle it twice (it stays pending forever, matching nothing).
 *
 * <p>Not thread-safe: the engine guards it with its graph lock.
 */
final class ReceiptMatcher {

    /** A settled receipt: {@code requester} received {@code creditsMilli} of service from {@code server}. */
    record Settled(NodeId requester, NodeId server, long creditsMilli, long proposedAtMs) {
    }

    private record Slot(NodeId server, long seq) {
    }

    private record Proposal(NodeId requester, long creditsMilli, long timestampMs, EventId id, JobId job) {
    }

    private record Ack(NodeId server, long seq, NodeId requester, EventId proposalId, JobId job) {
    }

    private final Map<Slot, Proposal> pendingProposals = new HashMap<>();
    private final Set<Ack> pendingAcks = new HashSet<>();

    /** The receipt {@code event} settles, or null. */
    Settled proposed(SignedEvent event, EventBody.ServiceProposed p) {
        NodeId server = event.author();
        if (pendingAcks.remove(new Ack(server, event.seq(), p.requester(), event.id(), p.jobId()))) {
            return new Settled(p.requester(), server, p.creditsMilli(), event.timestampMs());
        }
        pendingProposals.put(new Slot(server, event.seq()),
                new Proposal(p.requester(), p.creditsMilli(), event.timestampMs(), event.id(), p.jobId()));
        return null;
    }

    /** The receipt {@code event} settles, or null. */
    Settled acknowledged(SignedEvent event, EventBody.ServiceAcknowledged a) {
        NodeId requester = event.author();
        Slot slot = new Slot(a.server(), a.proposalSeq());
        Proposal p = pendingProposals.get(slot);
        if (p != null && p.requester().equals(requester) && p.id().equals(a.proposalId()) && p.job().equals(a.jobId())) {
            pendingProposals.remove(slot);
            return new Settled(requester, a.server(), p.creditsMilli(), p.timestampMs());
        }
        pendingAcks.add(new Ack(a.server(), a.proposalSeq(), requester, a.proposalId(), a.jobId()));
        return null;
    }

    int pending() {
        return pendingProposals.size() + pendingAcks.size();
    }
}
