package org.council.ledger.projection;

import java.nio.ByteBuffer;

/**
 * Credit totals of one account, in thousandths of a credit. {@code earned} and {@code spent}
 * count settled receipts only (both halves present); {@code pendingEarned} sums this account's
 * proposals still waiting for the requester's acknowledgement.
 */
public record AccountTotals(long earnedMilli, long spentMilli, long pendingEarnedMilli,
                            long servedJobs, long requestedJobs) {

    public static final AccountTotals ZERO = new AccountTotals(0, 0, 0, 0, 0);
    static final int ENCODED_LENGTH = 40;

    public long balanceMilli() {
        return earnedMilli - spentMilli;
    }

    /** Decodes a stored value; null means an account with no activity. */
    public static AccountTotals decodeValue(byte[] value) {
        return decode(value);
    }

    byte[] encode() {
        return ByteBuffer.allocate(ENCODED_LENGTH).putLong(earnedMilli).putLong(spentMilli)
                .putLong(pendingEarnedMilli).putLong(servedJobs).putLong(requestedJobs).array();
    }

    static AccountTotals decode(byte[] value) {
        if (value == null) {
            return ZERO;
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new AccountTotals(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    AccountTotals plus(long earned, long spent, long pendingEarned, long served, long requested) {
        return new AccountTotals(earnedMilli + earned, spentMilli + spent, pendingEarnedMilli + pendingEarned,
                servedJobs + served, requestedJobs + requested);
    }
}
