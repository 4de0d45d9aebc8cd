package org.council.ledger.projection;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventId;
import org.council.ledger.event.JobId;

/**
 * Key and value layout of the projection state, with every encoder and decoder beside it: no
 * other class reads these bytes by offset. The first byte of a key names the record type:
 * <ul>
 *   <li>{@code 'a' account(32)} → account totals ({@link AccountTotals})</li>
 *   <li>{@code 'p' server(32) seq(8)} → a proposal still waiting for its acknowledgement; value
 *       {@code requester(32) credits(8) proposalId(32) jobId(16)}</li>
 *   <li>{@code 'k' server(32) seq(8) requester(32) proposalId(32) jobId(16)} → an acknowledgement
 *       still waiting for its proposal (empty value)</li>
 *   <li>{@code 's' server(32) seq(8)} → the receipt is settled (empty value)</li>
 *   <li>{@code 'e' author(32)} → the author is a proven equivocator (empty value)</li>
 * </ul>
 * Every value is a function of the set of events seen, never of their order, so a replay in any
 * order reproduces the same bytes. Stateless and thread-safe.
 */
public final class ProjectionKeys {

    static final byte ACCOUNT = 'a';
    static final byte PENDING_PROPOSAL = 'p';
    static final byte PENDING_ACK = 'k';
    static final byte SETTLED = 's';
    static final byte EQUIVOCATOR = 'e';

    private static final int RECEIPT_KEY_LENGTH = 1 + NodeId.LENGTH + 8;
    private static final int PROPOSAL_VALUE_LENGTH = NodeId.LENGTH + 8 + EventId.LENGTH + JobId.LENGTH;

    /** A pending proposal as the projection stores it (no timestamp: credits do not decay). */
    public record PendingProposal(NodeId server, long seq, NodeId requester, long creditsMilli, EventId id, JobId job) {
    }

    private ProjectionKeys() {
    }

    public static byte[] account(NodeId id) {
        byte[] k = new byte[1 + NodeId.LENGTH];
        k[0] = ACCOUNT;
        id.copyTo(k, 1);
        return k;
    }

    /** First key of the account range (inclusive). */
    public static byte[] accountsFrom() {
        return new byte[] {ACCOUNT};
    }

    /** End of the account range (exclusive). */
    public static byte[] accountsUntil() {
        return new byte[] {ACCOUNT + 1};
    }

    /** The account id of an account key. */
    public static NodeId accountOf(byte[] key) {
        return NodeId.of(Arrays.copyOfRange(key, 1, 1 + NodeId.LENGTH));
    }

    public static byte[] equivocator(NodeId id) {
        byte[] k = account(id);
        k[0] = EQUIVOCATOR;
        return k;
    }

    public static byte[] pendingProposal(NodeId server, long seq) {
        return receipt(PENDING_PROPOSAL, server, seq);
    }

    /** Prefix of every pending-proposal key of {@code server}. */
    public static byte[] pendingProposalPrefix(NodeId server) {
        return Arrays.copyOf(pendingProposal(server, 0), 1 + NodeId.LENGTH);
    }

    /** True when {@code key} is a pending-proposal key starting with {@code prefix}. */
    public static boolean isPendingProposal(byte[] key, byte[] prefix) {
        return key.length == RECEIPT_KEY_LENGTH && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    public static byte[] encodeProposal(NodeId requester, long creditsMilli, EventId id, JobId job) {
        return ByteBuffer.allocate(PROPOSAL_VALUE_LENGTH).put(requester.bytes()).putLong(creditsMilli)
                .put(id.bytes()).put(job.bytes()).array();
    }

    /** Decodes a pending-proposal entry (key and value). */
    public static PendingProposal decodeProposal(byte[] key, byte[] value) {
        ByteBuffer k = ByteBuffer.wrap(key, 1, RECEIPT_KEY_LENGTH - 1);
        byte[] server = new byte[NodeId.LENGTH];
        k.get(server);
        long seq = k.getLong();
        ByteBuffer v = ByteBuffer.wrap(value);
        byte[] requester = new byte[NodeId.LENGTH];
        v.get(requester);
        long credits = v.getLong();
        byte[] id = new byte[EventId.LENGTH];
        v.get(id);
        byte[] job = new byte[JobId.LENGTH];
        v.get(job);
        return new PendingProposal(NodeId.of(server), seq, NodeId.of(requester), credits, EventId.of(id), JobId.of(job));
    }

    public static byte[] settled(NodeId server, long seq) {
        return receipt(SETTLED, server, seq);
    }

    public static byte[] pendingAck(NodeId server, long seq, NodeId requester, EventId proposalId, JobId jobId) {
        ByteBuffer b = ByteBuffer.allocate(RECEIPT_KEY_LENGTH + NodeId.LENGTH + EventId.LENGTH + JobId.LENGTH);
        b.put(PENDING_ACK).put(server.bytes()).putLong(seq).put(requester.bytes()).put(proposalId.bytes())
                .put(jobId.bytes());
        return b.array();
    }

    private static byte[] receipt(byte type, NodeId server, long seq) {
        ByteBuffer b = ByteBuffer.allocate(RECEIPT_KEY_LENGTH);
        b.put(type).put(server.bytes()).putLong(seq);
        return b.array();
    }
}
