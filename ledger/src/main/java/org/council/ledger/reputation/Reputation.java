package org.council.ledger.reputation;

import java.util.List;
import org.council.crypto.NodeId;

/**
 * This node's view of how much its peers deserve to be served: karma derived from the ledger it
 * holds (see {@code docs/reputation.md}). Nothing here is stored as truth; it can always be rebuilt
 * by replaying the log.
 *
 * <p><b>Thread-safety.</b> Implementations may be called from any thread. Reads are cheap (a
 * lookup in the last computed result) and never block on the ledger's writer thread.
 */
public interface Reputation {

    /**
     * The scheduler weight of {@code id}: 0 for unknown peers and proven equivocators (the
     * scheduler then applies its floor), about {@link KarmaConfig#topKarma()} for the best-trusted
     * peer, scaled by its net contribution within ±{@link KarmaConfig#balanceInfluence()}.
     */
    double karma(NodeId id);

    /** The raw EigenTrust share of {@code id} in [0, 1] (all shares sum to 1); 0 when unknown. */
    double trust(NodeId id);

    /** Every known peer but this node, best first (karma, then trust, then id). Immutable. */
    List<Ranked> ranking();

    /**
     * Brings the result up to date with everything committed so far, then returns this; for a
     * figure that must not lag (the reviewer weights of a council's rating). It may compute on the
     * calling thread: never call it on an event loop. By default nothing is computed.
     */
    default Reputation refreshed() {
        return this;
    }
}
