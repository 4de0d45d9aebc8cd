package org.council.node.council;

import java.util.Objects;
import org.council.crypto.NodeId;

/**
 * One seat in a council: the node that serves it, the model it runs there, and the reputation
 * the local node gives that node (from its own point of view) when the council was formed.
 * {@code node} is the local node's own id for the local backend. Immutable and thread-safe.
 */
public record Member(NodeId node, String model, double reputation) {

    public Member {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model is blank");
        }
        if (!Double.isFinite(reputation)) {
            throw new IllegalArgumentException("reputation must be finite");
        }
    }

    /** True when {@code other} is the same seat (node and model), whatever reputation it carries. */
    public boolean sameSeat(Member other) {
        return other != null && node.equals(other.node) && model.equals(other.model);
    }
}
