package org.council.node;

/** The node could not start or stop; the message says why in terms an operator can act on. */
public class NodeException extends RuntimeException {

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
