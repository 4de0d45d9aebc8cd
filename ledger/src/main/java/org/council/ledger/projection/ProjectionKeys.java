package org.council.ledger.projection;

import java.nio.ByteBuffer;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;

/**
 * Key layout of the projection state. The first byte names the record type:
 * <ul>
 *   <li>{@code 'a' account(32)} → account totals ({@link AccountTotals})</li>
 *   <li>{@code 'p' server(32) seq(8)} → a proposal still waiting for its acknowledgement</li>
 *   <li>{@code 'k' server(32) seq(8) requester(32) proposalId(32) jobId(16)} → an acknowledgement
 *       still waiting for its proposal (empty value)</li>
 *   <li>{@code 's' server(32) seq(8)} → the receipt is settled (empty value)</li>
 *   <li>{@code 'e' author(32)} → the author is a proven equivocator (empty value)</li>
 * </ul>
 * Every value is a function of the set of events seen, never of their order, so a replay in any
 * order reproduces the same bytes.
 */
final class ProjectionKeys {

    static final byte ACCOUNT = 'a';
    static final byte PENDING_PROPOSAL = 'p';
    static final byte PENDING_ACK = 'k';
    static final byte SETTLED = 's';
    static final byte EQUIVOCATOR = 'e';

    private ProjectionKeys() {
    }

    static byte[] account(NodeId id) {
        byte[] k = new byte[1 + NodeId.LENGTH];
        k[0] = ACCOUNT;
        id.copyTo(k, 1);
        return k;
    }

    static byte[] equivocator(NodeId id) {
        byte[] k = account(id);
        k[0] = EQUIVOCATOR;
        return k;
    }

    static byte[] pendingProposal(NodeId server, long seq) {
        return receipt(PENDING_PROPOSAL, server, seq);
    }

    static byte[] settled(NodeId server, long seq) {
        return receipt(SETTLED, server, seq);
    }

    static byte[] pendingAck(NodeId server, long seq, NodeId requester, EventId proposalId, JobId jobId) {
        ByteBuffer b = ByteBuffer.allocate(1 + 32 + 8 + 32 + 32 + JobId.LENGTH);
        b.put(PENDING_ACK).put(server.bytes()).putLong(seq).put(requester.bytes()).put(proposalId.bytes())
                .put(jobId.bytes());
        return b.array();
    }

    private static byte[] receipt(byte type, NodeId server, long seq) {
        ByteBuffer b = ByteBuffer.allocate(1 + 32 + 8);
        b.put(type).put(server.bytes()).putLong(seq);
        return b.array();
    }
}
