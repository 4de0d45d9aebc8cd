package org.council.ledger.projection;

import java.nio.ByteBuffer;

/**
 * Credit totals of one account, in thousandths of a credit. {@code earned} and {@code spent}
 * count settled receipts only (both halves present); {@code pendingEarned} sums this account's
 * proposals still waiting for the requester's acknowledgement.
 *
 * <p>Arithmetic saturates at {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE} instead of wrapping.
 * Since each receipt counts for at most {@link org.council.ledger.event.Credits#MAX_PER_JOB_MILLI},
 * saturation needs about 9·10^12 receipts: below that every total is exact, so it does not depend
 * on the order in which events arrived.
 */
public record AccountTotals(long earnedMilli, long spentMilli, long pendingEarnedMilli,
                            long servedJobs, long requestedJobs) {

    public static final AccountTotals ZERO = new AccountTotals(0, 0, 0, 0, 0);
    static final int ENCODED_LENGTH = 40;

    public long balanceMilli() {
        return saturatedAdd(earnedMilli, -Math.max(-Long.MAX_VALUE, spentMilli));
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
        return new AccountTotals(saturatedAdd(earnedMilli, earned), saturatedAdd(spentMilli, spent),
                saturatedAdd(pendingEarnedMilli, pendingEarned), saturatedAdd(servedJobs, served),
                saturatedAdd(requestedJobs, requested));
    }

    /** {@code a + b}, or the nearest bound when it would overflow. */
    static long saturatedAdd(long a, long b) {
        long r = a + b;
        // overflow iff both operands have the sign opposite to the result's (Hacker's Delight 2-13)
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
