package org.council.api;

import org.council.crypto.NodeId;

/**
 * A server's receipt claim this node did not acknowledge, and why: the work it did not pay for.
 * Immutable.
 *
 * @param server              the server that made the claim
 * @param jobId               the job (hex)
 * @param model               the model this node asked for
 * @param claimedCreditsMilli the credits the claim asked for (0 when there was no readable claim)
 * @param reason              why this node did not pay, for its operator
 * @param atMs                when it refused, milliseconds since the epoch
 */
public record RefusedClaim(NodeId server, String jobId, String model, long claimedCreditsMilli, String reason,
                           long atMs) {
}
