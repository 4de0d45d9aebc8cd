package org.council.ledger.event;

/**
 * The credit formula for one served job (docs/reputation.md, "Credits"), in thousandths of a
 * credit. Both sides compute it: the server to claim, the requester to check the claim.
 *
 * <pre>
 * weight  = max(0.5, min(parameters_billions, 2000) / 8)   an 8B model weighs 1; unknown size 0.5
 * credits = min(1000, (completion_tokens + prompt_tokens / 4) / 100 * weight)
 * </pre>
 * Generated tokens cost the GPU most, so they count fully and prompt tokens a quarter; bigger
 * models earn proportionally more (as AI Horde's kudos do), with a floor so small or unknown
 * models still earn something.
 *
 * <p>Every input is clamped (negative counts to 0, the model size to {@link #MAX_PARAMETERS_MILLIONS})
 * and the result to {@link #MAX_PER_JOB_MILLI}, so no input overflows and one job can never be worth
 * more than the cap. The cap is also what the projections count a receipt at
 * ({@link #countable(long)}): a claim signed with more credits than one job can be worth counts
 * as the cap, so the ledger's totals stay far from overflow (2^63 / 10^6 ≈ 9·10^12 jobs).
 *
 * <p>It lives in the ledger beside {@link EventBody.ServiceProposed}, whose {@code creditsMilli}
 * it prices, so that a server, a requester and any offline auditor compute the same number from
 * the same code. Stateless and thread-safe.
 */
public final class Credits {

    /**
     * Most credits one job is worth, in milli-credits: 1000 credits, ten times karma's per-edge
     * cap. An 8B model reaches it after 100 000 generated tokens, a 70B model after about 11 400;
     * a larger job is paid the cap.
     */
    public static final long MAX_PER_JOB_MILLI = 1_000_000;
    /** Largest model size the formula prices (2 trillion parameters); a claim above it is not acknowledged. */
    public static final long MAX_PARAMETERS_MILLIONS = 2_000_000;
    /** Model sizes up to this weigh the floor (0.5), like an unknown size. */
    public static final long FLOOR_PARAMETERS_MILLIONS = 4_000;

    private Credits() {
    }

    /** Credits of one job in milli-credits, in {@code [0, MAX_PER_JOB_MILLI]} for any input. */
    public static long milli(long parametersMillions, long promptTokens, long completionTokens) {
        double params = Math.min(Math.max(0, parametersMillions), MAX_PARAMETERS_MILLIONS);
        double weight = Math.max(0.5, params / 8_000.0);
        // doubles hold any long count without overflow; the cap is applied before rounding
        double credits = (Math.max(0, completionTokens) + Math.max(0, promptTokens) / 4.0) / 100.0 * weight;
        return Math.round(Math.min(credits * 1_000, MAX_PER_JOB_MILLI));
    }

    /**
     * Credits of one embedding job in milli-credits: its input tokens priced as a chat's prompt
     * tokens, nothing generated, so {@code min(1000, input_tokens / 4 / 100 * weight)}. Embedding
     * is the prefill pass alone, the work a prompt token costs, so it earns what the same text earns
     * as a prompt; the receipt records the inputs as {@code prompt_tokens} and 0 completion tokens,
     * and {@link #milli} of that receipt gives the same number, so an auditor needs no job kind.
     * In {@code [0, MAX_PER_JOB_MILLI]} for any input.
     */
    public static long embeddingMilli(long parametersMillions, long inputTokens) {
        return milli(parametersMillions, inputTokens, 0);
    }

    /** The weight of a model size: an 8B model 1, small or unknown 0.5. */
    public static double weight(long parametersMillions) {
        return Math.max(0.5, Math.min(Math.max(0, parametersMillions), MAX_PARAMETERS_MILLIONS) / 8_000.0);
    }

    /** What a signed claim of {@code creditsMilli} counts for in balances and karma: at most the per-job cap. */
    public static long countable(long creditsMilli) {
        return Math.min(Math.max(0, creditsMilli), MAX_PER_JOB_MILLI);
    }
}
