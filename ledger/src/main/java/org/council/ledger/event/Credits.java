package org.council.ledger.event;

/**
 * The credit formula for one served job (docs/reputation.md, "Credits"), in thousandths of a
 * credit. Both sides compute it: the server to claim, the requester to check the claim.
 *
 * <pre>
 * weight  = max(0.5, parameters_billions / 8)        an 8B model weighs 1; unknown size 0.5
 * credits = (completion_tokens + prompt_tokens / 4) / 100 * weight
 * </pre>
 * Generated tokens cost the GPU most, so they count fully and prompt tokens a quarter; bigger
 * models earn proportionally more (as AI Horde's kudos do), with a floor so small or unknown
 * models still earn something.
 *
 * <p>It lives in the ledger beside {@link EventBody.ServiceProposed}, whose {@code creditsMilli}
 * it prices, so that a server, a requester and any offline auditor compute the same number from
 * the same code. Stateless and thread-safe.
 */
public final class Credits {

    private Credits() {
    }

    public static long milli(long parametersMillions, long promptTokens, long completionTokens) {
        double weight = Math.max(0.5, parametersMillions / 8_000.0);
        double credits = (completionTokens + promptTokens / 4.0) / 100.0 * weight;
        return Math.round(credits * 1_000);
    }
}
