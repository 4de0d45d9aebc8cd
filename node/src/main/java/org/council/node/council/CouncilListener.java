package org.council.node.council;

/**
 * Receives a council's progress. Called on the orchestrator's Vert.x context, in order, so an
 * implementation must not block; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface CouncilListener {

    /** A listener that ignores everything. */
    CouncilListener NONE = event -> { };

    void onEvent(CouncilEvent event);
}
