package org.council.node.council;

import java.util.List;
import java.util.Objects;
import org.council.crypto.NodeId;

/**
 * What the local node knows about a possible council member: the models the node announced
 * (in its own order of preference), its reputation from the local point of view, and whether it
 * is the local node itself. Immutable and thread-safe.
 */
public record Candidate(NodeId node, List<String> models, double reputation, boolean local) {

    public Candidate {
        Objects.requireNonNull(node, "node");
        models = List.copyOf(models);
        if (!Double.isFinite(reputation)) {
            throw new IllegalArgumentException("reputation must be finite");
        }
    }
}
