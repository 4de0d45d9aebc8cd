package org.council.api;

/**
 * {@link NodeActions#askCouncil} could not form a council: no local model and no connected peer
 * that announced one. The API answers it {@code 503 NO_COUNCIL}; any other failure of the port is
 * not mistaken for it. Immutable.
 */
public final class NoCouncilException extends RuntimeException {

    public NoCouncilException(String message) {
        super(message);
    }
}
